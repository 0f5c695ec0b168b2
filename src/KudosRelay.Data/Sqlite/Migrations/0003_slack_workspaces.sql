-- Slack workspaces that uninstalled the app or revoked its bot token. The outbox dead-letters what is
-- meant for them, on every instance and across restarts, until the app is back: a signed event from the
-- workspace dated after the revocation, or a different bot token that auth.test accepts for it.
-- revoked_token_hash: the first bytes of SHA-256 of the bot token that was revoked (never the token).

CREATE TABLE slack_workspaces (
    team_id            TEXT NOT NULL PRIMARY KEY,
    revoked_at         TEXT NULL,
    revoked_reason     TEXT NULL,
    revoked_token_hash TEXT NULL,
    updated_at         TEXT NOT NULL
);
