-- Teams conversation references, learned from verified activities (install, messages), so the bot can
-- write proactively. One row per conversation; a personal conversation also names its user.
-- chat_identities needs a person from the org file; Teams users who install the bot may not be there yet.

CREATE TABLE teams_conversations (
    conversation_id   NVARCHAR(400) NOT NULL PRIMARY KEY,
    conversation_type NVARCHAR(40)  NOT NULL,
    tenant_id         NVARCHAR(100) NULL,
    service_url       NVARCHAR(400) NOT NULL,
    bot_id            NVARCHAR(200) NOT NULL,
    user_id           NVARCHAR(200) NULL,
    user_aad_id       NVARCHAR(100) NULL,
    team_id           NVARCHAR(400) NULL,
    installed         BIT           NOT NULL,
    updated_at        DATETIME2(3)  NOT NULL
);
CREATE INDEX ix_teams_conversations_user ON teams_conversations (user_aad_id);
