-- Slack workspaces that uninstalled the app or revoked its bot token. The outbox dead-letters what is
-- meant for them, on every instance and across restarts, until the app is back: a signed event from the
-- workspace dated after the revocation, or a different bot token that auth.test accepts for it.
-- revoked_token_hash: the first bytes of SHA-256 of the bot token that was revoked (never the token).

CREATE TABLE slack_workspaces (
    team_id            NVARCHAR(40)  NOT NULL PRIMARY KEY,
    revoked_at         DATETIME2(3)  NULL,
    revoked_reason     NVARCHAR(100) NULL,
    revoked_token_hash NVARCHAR(64)  NULL,
    updated_at         DATETIME2(3)  NOT NULL
);
