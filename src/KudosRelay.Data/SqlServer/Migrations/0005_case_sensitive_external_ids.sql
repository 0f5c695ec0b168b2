-- Ids that come from outside (helpdesk external ids, Slack and Teams ids, outbox keys made from them) are
-- case-sensitive: "abc" and "ABC" are two items. The database's default collation is usually
-- case-insensitive, so these key columns get a binary collation, as SQLite's default BINARY compares.
-- Azure AD object ids (user_aad_id) are GUIDs, equal in either case, and keep the database's collation.
-- A column cannot change collation while a key or index uses it: each is dropped and made again, with a
-- name this time (the first migrations let SQL Server name them, so they are looked up).

DECLARE @name sysname, @sql nvarchar(max);

SELECT @name = name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'dbo.feedback_items') AND type = 'UQ';
SET @sql = N'ALTER TABLE dbo.feedback_items DROP CONSTRAINT ' + QUOTENAME(@name);
EXEC sys.sp_executesql @sql;

SELECT @name = name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'dbo.outbox_messages') AND type = 'UQ';
SET @sql = N'ALTER TABLE dbo.outbox_messages DROP CONSTRAINT ' + QUOTENAME(@name);
EXEC sys.sp_executesql @sql;

SELECT @name = name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'dbo.teams_conversations') AND type = 'PK';
SET @sql = N'ALTER TABLE dbo.teams_conversations DROP CONSTRAINT ' + QUOTENAME(@name);
EXEC sys.sp_executesql @sql;

SELECT @name = name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'dbo.slack_workspaces') AND type = 'PK';
SET @sql = N'ALTER TABLE dbo.slack_workspaces DROP CONSTRAINT ' + QUOTENAME(@name);
EXEC sys.sp_executesql @sql;
GO

DROP INDEX ix_chat_identities_user ON chat_identities;
GO

ALTER TABLE feedback_items ALTER COLUMN external_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE outbox_messages ALTER COLUMN idempotency_key NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE chat_identities ALTER COLUMN user_id NVARCHAR(200) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE teams_conversations ALTER COLUMN conversation_id NVARCHAR(400) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE slack_workspaces ALTER COLUMN team_id NVARCHAR(40) COLLATE Latin1_General_100_BIN2 NOT NULL;
GO

ALTER TABLE feedback_items ADD CONSTRAINT uq_feedback_items_source_external_id UNIQUE (source, external_id);
ALTER TABLE outbox_messages ADD CONSTRAINT uq_outbox_messages_idempotency_key UNIQUE (idempotency_key);
ALTER TABLE teams_conversations ADD CONSTRAINT pk_teams_conversations PRIMARY KEY (conversation_id);
ALTER TABLE slack_workspaces ADD CONSTRAINT pk_slack_workspaces PRIMARY KEY (team_id);
CREATE INDEX ix_chat_identities_user ON chat_identities (platform, user_id);
