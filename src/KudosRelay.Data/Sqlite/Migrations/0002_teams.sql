-- Teams conversation references, learned from verified activities (install, messages), so the bot can
-- write proactively. One row per conversation; a personal conversation also names its user.
-- chat_identities needs a person from the org file; Teams users who install the bot may not be there yet.

CREATE TABLE teams_conversations (
    conversation_id   TEXT    NOT NULL PRIMARY KEY,
    conversation_type TEXT    NOT NULL,
    tenant_id         TEXT    NULL,
    service_url       TEXT    NOT NULL,
    bot_id            TEXT    NOT NULL,
    user_id           TEXT    NULL,
    user_aad_id       TEXT    NULL,
    team_id           TEXT    NULL,
    installed         INTEGER NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX ix_teams_conversations_user ON teams_conversations (user_aad_id);
