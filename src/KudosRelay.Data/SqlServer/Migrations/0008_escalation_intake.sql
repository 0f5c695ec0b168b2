-- Escalations raised from a helpdesk or from chat, and the nudges sent about them.
-- (source, external_id) makes raising idempotent: a helpdesk that sends the same escalation twice gets
-- the first one back. Escalations opened from chat carry the form's id as external_id, which is
-- case-sensitive like every id from outside (see 0005).
ALTER TABLE escalations ADD
    source          NVARCHAR(200) NULL,
    external_id     NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NULL,
    case_url        NVARCHAR(2000) NULL,
    -- The requesting agent's note as it may be forwarded: never a note the tone guard flagged, unless the agent
    -- chose the softer rewrite, which is what is stored then.
    note            NVARCHAR(MAX) NULL,
    -- When the sweeper looks at the escalation next; NULL once nothing more is to be sent.
    next_nudge_at   DATETIME2(3) NULL,
    -- A re-routed escalation ("not ours") starts its stages again with the next department.
    nudge_round     INT NOT NULL CONSTRAINT df_escalations_nudge_round DEFAULT 0,
    -- The last "I'm on it": reminders pause for the department's grace period after it.
    acknowledged_at DATETIME2(3) NULL;
GO

CREATE UNIQUE INDEX ux_escalations_source_external_id ON escalations (source, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ix_escalations_next_nudge ON escalations (next_nudge_at);

-- The first nudges table named only a person; a nudge also goes to a department channel. Nothing wrote to it
-- before this migration, so it is made again. One nudge per escalation, round and stage, however many
-- instances sweep: the unique key decides.
DROP TABLE nudges;
CREATE TABLE nudges (
    id                  BIGINT IDENTITY(1,1) CONSTRAINT pk_nudges PRIMARY KEY,
    escalation_id       BIGINT NOT NULL CONSTRAINT fk_nudges_escalation REFERENCES escalations(id) ON DELETE CASCADE,
    round               INT NOT NULL,
    stage               NVARCHAR(100) NOT NULL,
    recipient_kind      NVARCHAR(20) NOT NULL,
    recipient_person_id BIGINT NULL CONSTRAINT fk_nudges_person REFERENCES people(id),
    recipient_platform  NVARCHAR(20) NULL,
    recipient_address   NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NULL,
    outbox_message_id   BIGINT NULL,
    sent_at             DATETIME2(3) NOT NULL,
    CONSTRAINT uq_nudges_escalation_round_stage UNIQUE (escalation_id, round, stage)
);
CREATE INDEX ix_nudges_recipient ON nudges (recipient_person_id, sent_at);
CREATE INDEX ix_nudges_address ON nudges (recipient_address, sent_at);
