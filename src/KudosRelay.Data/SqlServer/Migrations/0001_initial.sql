-- KudosRelay schema, SQL Server dialect. Timestamps are UTC (datetime2).

CREATE TABLE people (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    email         NVARCHAR(320) NOT NULL UNIQUE,
    display_name  NVARCHAR(200) NOT NULL,
    time_zone     NVARCHAR(200) NOT NULL,
    locale        NVARCHAR(200) NOT NULL,
    created_at    DATETIME2(3) NOT NULL,
    updated_at    DATETIME2(3) NOT NULL
);

-- One chat identity per person and platform. workspace_id is the Slack team id or the Teams tenant id;
-- conversation_reference holds what Teams needs to message the person proactively (JSON).
CREATE TABLE chat_identities (
    id                     BIGINT IDENTITY(1,1) PRIMARY KEY,
    person_id              BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    platform               NVARCHAR(200) NOT NULL,
    workspace_id           NVARCHAR(200) NULL,
    user_id                NVARCHAR(200) NOT NULL,
    conversation_reference NVARCHAR(MAX) NULL,
    updated_at             DATETIME2(3) NOT NULL,
    UNIQUE (person_id, platform)
);
CREATE INDEX ix_chat_identities_user ON chat_identities (platform, user_id);

CREATE TABLE teams (
    id             BIGINT IDENTITY(1,1) PRIMARY KEY,
    team_key       NVARCHAR(200) NOT NULL UNIQUE,
    name           NVARCHAR(200) NOT NULL,
    lead_person_id BIGINT NULL REFERENCES people(id),
    created_at     DATETIME2(3) NOT NULL,
    updated_at     DATETIME2(3) NOT NULL
);

CREATE TABLE team_members (
    team_id   BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, person_id)
);

-- The channel where a team's kudos are posted, one per platform.
CREATE TABLE team_channels (
    team_id    BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    platform   NVARCHAR(200) NOT NULL,
    channel_id NVARCHAR(200) NOT NULL,
    PRIMARY KEY (team_id, platform)
);

CREATE TABLE departments (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    department_key    NVARCHAR(200) NOT NULL UNIQUE,
    name              NVARCHAR(200) NOT NULL,
    lead_person_id    BIGINT NULL REFERENCES people(id),
    sla_minutes       INT NOT NULL,
    work_start_minute INT NOT NULL,
    work_end_minute   INT NOT NULL,
    working_days      NVARCHAR(200) NOT NULL,
    time_zone         NVARCHAR(200) NOT NULL,
    created_at        DATETIME2(3) NOT NULL,
    updated_at        DATETIME2(3) NOT NULL
);

CREATE TABLE department_members (
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    person_id     BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, person_id)
);

CREATE TABLE department_channels (
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    platform      NVARCHAR(200) NOT NULL,
    channel_id    NVARCHAR(200) NOT NULL,
    PRIMARY KEY (department_id, platform)
);

CREATE TABLE department_holidays (
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    holiday       DATE    NOT NULL,
    PRIMARY KEY (department_id, holiday)
);

CREATE TABLE feedback_items (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    source           NVARCHAR(200) NOT NULL,
    external_id      NVARCHAR(200) NOT NULL,
    received_at      DATETIME2(3) NOT NULL,
    agent_email      NVARCHAR(320) NULL,
    agent_person_id  BIGINT NULL REFERENCES people(id),
    team_id          BIGINT NULL REFERENCES teams(id),
    case_ref         NVARCHAR(200) NULL,
    language         NVARCHAR(200) NULL,
    rating_scale     NVARCHAR(200) NULL,
    rating_value     FLOAT    NULL,
    score            FLOAT    NULL,
    customer_name    NVARCHAR(200) NULL,
    redacted_text    NVARCHAR(MAX) NULL,
    original_text    NVARCHAR(MAX) NULL,
    status           NVARCHAR(200) NOT NULL,
    created_at       DATETIME2(3) NOT NULL,
    updated_at       DATETIME2(3) NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX ix_feedback_items_received ON feedback_items (received_at);
CREATE INDEX ix_feedback_items_case ON feedback_items (case_ref);

-- Kudos are either customer praise relayed from a feedback item or peer kudos typed in chat.
CREATE TABLE kudos (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    kind                NVARCHAR(200) NOT NULL,
    feedback_item_id    BIGINT NULL REFERENCES feedback_items(id),
    giver_person_id     BIGINT NULL REFERENCES people(id),
    recipient_person_id BIGINT NULL REFERENCES people(id),
    team_id             BIGINT NULL REFERENCES teams(id),
    text                NVARCHAR(MAX) NOT NULL,
    cross_department    BIT NOT NULL DEFAULT 0,
    status              NVARCHAR(200) NOT NULL,
    created_at          DATETIME2(3) NOT NULL,
    withdrawn_at        DATETIME2(3) NULL
);
CREATE INDEX ix_kudos_created ON kudos (created_at);
CREATE INDEX ix_kudos_recipient ON kudos (recipient_person_id);

CREATE TABLE escalations (
    id                    BIGINT IDENTITY(1,1) PRIMARY KEY,
    case_ref              NVARCHAR(200) NOT NULL,
    summary               NVARCHAR(MAX) NOT NULL,
    requester_person_id   BIGINT NOT NULL REFERENCES people(id),
    department_id         BIGINT NOT NULL REFERENCES departments(id),
    owner_person_id       BIGINT NULL REFERENCES people(id),
    status                NVARCHAR(200) NOT NULL,
    due_at                DATETIME2(3) NOT NULL,
    snoozed_until         DATETIME2(3) NULL,
    resolved_at           DATETIME2(3) NULL,
    resolved_by_person_id BIGINT NULL REFERENCES people(id),
    created_at            DATETIME2(3) NOT NULL,
    updated_at            DATETIME2(3) NOT NULL
);
CREATE INDEX ix_escalations_open ON escalations (status, due_at);
CREATE INDEX ix_escalations_case ON escalations (case_ref);

CREATE TABLE escalation_events (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    escalation_id   BIGINT NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    kind            NVARCHAR(200) NOT NULL,
    actor_person_id BIGINT NULL REFERENCES people(id),
    note            NVARCHAR(MAX) NULL,
    occurred_at     DATETIME2(3) NOT NULL
);
CREATE INDEX ix_escalation_events_escalation ON escalation_events (escalation_id, occurred_at);

CREATE TABLE nudges (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    escalation_id       BIGINT NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
    recipient_person_id BIGINT NOT NULL REFERENCES people(id),
    stage               NVARCHAR(200) NOT NULL,
    outbox_message_id   BIGINT NULL,
    sent_at             DATETIME2(3) NOT NULL
);
CREATE INDEX ix_nudges_recipient ON nudges (recipient_person_id, sent_at);
CREATE INDEX ix_nudges_escalation ON nudges (escalation_id);

CREATE TABLE digest_subscriptions (
    id           BIGINT IDENTITY(1,1) PRIMARY KEY,
    name         NVARCHAR(200) NOT NULL UNIQUE,
    platform     NVARCHAR(200) NOT NULL,
    channel_id   NVARCHAR(200) NOT NULL,
    scope_kind   NVARCHAR(200) NOT NULL,
    scope_key    NVARCHAR(200) NULL,
    variant      NVARCHAR(200) NOT NULL,
    day_of_week  INT NOT NULL,
    local_time   NVARCHAR(200) NOT NULL,
    time_zone    NVARCHAR(200) NOT NULL,
    enabled      BIT NOT NULL DEFAULT 1,
    created_at   DATETIME2(3) NOT NULL,
    updated_at   DATETIME2(3) NOT NULL
);

-- One run per subscription and ISO week: the unique key is what makes the digest exactly-once.
CREATE TABLE digest_runs (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    subscription_id   BIGINT NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
    iso_week          NVARCHAR(200) NOT NULL,
    status            NVARCHAR(200) NOT NULL,
    outbox_message_id BIGINT NULL,
    created_at        DATETIME2(3) NOT NULL,
    UNIQUE (subscription_id, iso_week)
);

CREATE TABLE outbox_messages (
    id                   BIGINT IDENTITY(1,1) PRIMARY KEY,
    idempotency_key      NVARCHAR(200) NOT NULL UNIQUE,
    platform             NVARCHAR(200) NOT NULL,
    target_kind          NVARCHAR(200) NOT NULL,
    target_address       NVARCHAR(400) NOT NULL,
    workspace_id         NVARCHAR(200) NULL,
    replaces_message_id  BIGINT NULL REFERENCES outbox_messages(id),
    body                 NVARCHAR(MAX) NOT NULL,
    status               NVARCHAR(200) NOT NULL,
    attempts             INT NOT NULL DEFAULT 0,
    next_attempt_at      DATETIME2(3) NOT NULL,
    lease_owner          NVARCHAR(200) NULL,
    lease_expires_at     DATETIME2(3) NULL,
    last_error           NVARCHAR(MAX) NULL,
    platform_message_ref NVARCHAR(1000) NULL,
    created_at           DATETIME2(3) NOT NULL,
    sent_at              DATETIME2(3) NULL
);
CREATE INDEX ix_outbox_due ON outbox_messages (status, next_attempt_at);

CREATE TABLE outbox_attempts (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    outbox_message_id BIGINT NOT NULL REFERENCES outbox_messages(id) ON DELETE CASCADE,
    attempt           INT NOT NULL,
    outcome           NVARCHAR(200) NOT NULL,
    error             NVARCHAR(MAX) NULL,
    lease_owner       NVARCHAR(200) NOT NULL,
    attempted_at      DATETIME2(3) NOT NULL
);
CREATE INDEX ix_outbox_attempts_message ON outbox_attempts (outbox_message_id);
