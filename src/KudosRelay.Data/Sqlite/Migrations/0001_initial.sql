-- KudosRelay schema, SQLite dialect. Timestamps are UTC, stored as ISO-8601 text so they sort as text.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT    NOT NULL,
    time_zone     TEXT    NOT NULL,
    locale        TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

-- One chat identity per person and platform. workspace_id is the Slack team id or the Teams tenant id;
-- conversation_reference holds what Teams needs to message the person proactively (JSON).
CREATE TABLE chat_identities (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id              INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    platform               TEXT    NOT NULL,
    workspace_id           TEXT    NULL,
    user_id                TEXT    NOT NULL,
    conversation_reference TEXT    NULL,
    updated_at             TEXT    NOT NULL,
    UNIQUE (person_id, platform)
);
CREATE INDEX ix_chat_identities_user ON chat_identities (platform, user_id);

CREATE TABLE teams (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    team_key       TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    lead_person_id INTEGER NULL REFERENCES people(id),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE team_members (
    team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, person_id)
);

-- The channel where a team's kudos are posted, one per platform.
CREATE TABLE team_channels (
    team_id    INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    platform   TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    PRIMARY KEY (team_id, platform)
);

CREATE TABLE departments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    department_key    TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    lead_person_id    INTEGER NULL REFERENCES people(id),
    sla_minutes       INTEGER NOT NULL,
    work_start_minute INTEGER NOT NULL,
    work_end_minute   INTEGER NOT NULL,
    working_days      TEXT    NOT NULL,
    time_zone         TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE department_members (
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, person_id)
);

CREATE TABLE department_channels (
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    platform      TEXT    NOT NULL,
    channel_id    TEXT    NOT NULL,
    PRIMARY KEY (department_id, platform)
);

CREATE TABLE department_holidays (
    department_id INTEGER NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    holiday       TEXT    NOT NULL,
    PRIMARY KEY (department_id, holiday)
);

CREATE TABLE feedback_items (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    source           TEXT    NOT NULL,
    external_id      TEXT    NOT NULL,
    received_at      TEXT    NOT NULL,
    agent_email      TEXT    NULL COLLATE NOCASE,
    agent_person_id  INTEGER NULL REFERENCES people(id),
    team_id          INTEGER NULL REFERENCES teams(id),
    case_ref         TEXT    NULL,
    language         TEXT    NULL,
    rating_scale     TEXT    NULL,
    rating_value     REAL    NULL,
    score            REAL    NULL,
    customer_name    TEXT    NULL,
    redacted_text    TEXT    NULL,
    original_text    TEXT    NULL,
    status           TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX ix_feedback_items_received ON feedback_items (received_at);
CREATE INDEX ix_feedback_items_case ON feedback_items (case_ref);

-- Kudos are either customer praise relayed from a feedback item or peer kudos typed in chat.
CREATE TABLE kudos (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                TEXT    NOT NULL,
    feedback_item_id    INTEGER NULL REFERENCES feedback_items(id),
    giver_person_id     INTEGER NULL REFERENCES people(id),
    recipient_person_id INTEGER NULL REFERENCES people(id),
    team_id             INTEGER NULL REFERENCES teams(id),
    text                TEXT    NOT NULL,
    cross_department    INTEGER NOT NULL DEFAULT 0,
    status              TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    withdrawn_at        TEXT    NULL
);
CREATE INDEX ix_kudos_created ON kudos (created_at);
CREATE INDEX ix_kudos_recipient ON kudos (recipient_person_id);

CREATE TABLE escalations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    case_ref              TEXT    NOT NULL,
    summary               TEXT    NOT NULL,
    requester_person_id   INTEGER NOT NULL REFERENCES people(id),
    department_id         INTEGER NOT NULL REFERENCES departments(id),
    owner_person_id       INTEGER NULL REFERENCES people(id),
    status                TEXT    NOT NULL,
    due_at                TEXT    NOT NULL,
    snoozed_until         TEXT    NULL,
    resolved_at           TEXT    NULL,
    resolved_by_person_id INTEGER NULL REFERENCES people(id),
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
);
CREATE INDEX ix_escalations_open ON escalations (status, due_at);
CREATE INDEX ix_escalations_case ON escalations (case_ref);

CREATE TABLE escalation_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id   INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    actor_person_id INTEGER NULL REFERENCES people(id),
    note            TEXT    NULL,
    occurred_at     TEXT    NOT NULL
);
CREATE INDEX ix_escalation_events_escalation ON escalation_events (escalation_id, occurred_at);

CREATE TABLE nudges (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id       INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    recipient_person_id INTEGER NOT NULL REFERENCES people(id),
    stage               TEXT    NOT NULL,
    outbox_message_id   INTEGER NULL,
    sent_at             TEXT    NOT NULL
);
CREATE INDEX ix_nudges_recipient ON nudges (recipient_person_id, sent_at);
CREATE INDEX ix_nudges_escalation ON nudges (escalation_id);

CREATE TABLE digest_subscriptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    platform     TEXT    NOT NULL,
    channel_id   TEXT    NOT NULL,
    scope_kind   TEXT    NOT NULL,
    scope_key    TEXT    NULL,
    variant      TEXT    NOT NULL,
    day_of_week  INTEGER NOT NULL,
    local_time   TEXT    NOT NULL,
    time_zone    TEXT    NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

-- One run per subscription and ISO week: the unique key is what makes the digest exactly-once.
CREATE TABLE digest_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id   INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
    iso_week          TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    outbox_message_id INTEGER NULL,
    created_at        TEXT    NOT NULL,
    UNIQUE (subscription_id, iso_week)
);

CREATE TABLE outbox_messages (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key      TEXT    NOT NULL UNIQUE,
    platform             TEXT    NOT NULL,
    target_kind          TEXT    NOT NULL,
    target_address       TEXT    NOT NULL,
    workspace_id         TEXT    NULL,
    replaces_message_id  INTEGER NULL REFERENCES outbox_messages(id),
    body                 TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TEXT    NOT NULL,
    lease_owner          TEXT    NULL,
    lease_expires_at     TEXT    NULL,
    last_error           TEXT    NULL,
    platform_message_ref TEXT    NULL,
    created_at           TEXT    NOT NULL,
    sent_at              TEXT    NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages (status, next_attempt_at);

CREATE TABLE outbox_attempts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_message_id INTEGER NOT NULL REFERENCES outbox_messages(id) ON DELETE CASCADE,
    attempt           INTEGER NOT NULL,
    outcome           TEXT    NOT NULL,
    error             TEXT    NULL,
    lease_owner       TEXT    NOT NULL,
    attempted_at      TEXT    NOT NULL
);
CREATE INDEX ix_outbox_attempts_message ON outbox_attempts (outbox_message_id);
