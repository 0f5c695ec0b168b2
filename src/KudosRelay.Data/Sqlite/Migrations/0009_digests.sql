-- Weekly digests. A run sent after its usual time (the scheduler was down when it was due) is marked late, so
-- an operator can tell it from one on time; the reader sees a gentle note, never the word.
ALTER TABLE digest_runs ADD COLUMN late INTEGER NOT NULL DEFAULT 0;

-- A digest reads one scope's week: kudos by team or by recipient and time, escalations by requester and
-- resolution time. Without these, every digest scans the kudos and escalations of all time.
CREATE INDEX ix_kudos_team_created ON kudos (team_id, created_at);
CREATE INDEX ix_kudos_recipient_created ON kudos (recipient_person_id, created_at);
CREATE INDEX ix_kudos_giver_created ON kudos (giver_person_id, created_at);
CREATE INDEX ix_escalations_requester_resolved ON escalations (requester_person_id, resolved_at);
CREATE INDEX ix_escalations_requester_created ON escalations (requester_person_id, created_at);
CREATE INDEX ix_escalations_resolver_resolved ON escalations (resolved_by_person_id, resolved_at);
CREATE INDEX ix_escalations_resolved ON escalations (resolved_at);
