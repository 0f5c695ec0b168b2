-- Escalations raised from a helpdesk or from chat, and the nudges sent about them.
-- (source, external_id) makes raising idempotent: a helpdesk that sends the same escalation twice gets
-- the first one back. Escalations opened from chat carry the form's id as external_id.
ALTER TABLE escalations ADD COLUMN source TEXT NULL;
ALTER TABLE escalations ADD COLUMN external_id TEXT NULL;
ALTER TABLE escalations ADD COLUMN case_url TEXT NULL;
-- The requesting agent's note as it may be forwarded: never a note the tone guard flagged, unless the agent
-- chose the softer rewrite, which is what is stored then.
ALTER TABLE escalations ADD COLUMN note TEXT NULL;
-- When the sweeper looks at the escalation next; NULL once nothing more is to be sent (closed, or silent after
-- the last stage). The sweeper's one query reads this index.
ALTER TABLE escalations ADD COLUMN next_nudge_at TEXT NULL;
-- A re-routed escalation ("not ours") starts its stages again with the next department: nudges count per round.
ALTER TABLE escalations ADD COLUMN nudge_round INTEGER NOT NULL DEFAULT 0;
-- The last "I'm on it": reminders pause for the department's grace period after it.
ALTER TABLE escalations ADD COLUMN acknowledged_at TEXT NULL;

CREATE UNIQUE INDEX ux_escalations_source_external_id ON escalations (source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_escalations_next_nudge ON escalations (next_nudge_at);

-- The first nudges table named only a person; a nudge also goes to a department channel. Nothing wrote to it
-- before this migration, so it is made again. One nudge per escalation, round and stage, however many
-- instances sweep: the unique key decides.
DROP TABLE nudges;
CREATE TABLE nudges (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id       INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    round               INTEGER NOT NULL,
    stage               TEXT    NOT NULL,
    recipient_kind      TEXT    NOT NULL,
    recipient_person_id INTEGER NULL REFERENCES people(id),
    recipient_platform  TEXT    NULL,
    recipient_address   TEXT    NULL,
    outbox_message_id   INTEGER NULL,
    sent_at             TEXT    NOT NULL,
    UNIQUE (escalation_id, round, stage)
);
CREATE INDEX ix_nudges_recipient ON nudges (recipient_person_id, sent_at);
CREATE INDEX ix_nudges_address ON nudges (recipient_address, sent_at);
