-- The language of what the bot posts in a channel. A team, department or digest subscription with a NULL
-- locale has none of its own and speaks the organisation's default locale, looked up when a message is
-- written; so changing the default later changes every entry that follows it, and an export can tell
-- an entry's own locale from the default.

ALTER TABLE teams ADD locale NVARCHAR(200) NULL;
ALTER TABLE departments ADD locale NVARCHAR(200) NULL;
ALTER TABLE digest_subscriptions ADD locale NVARCHAR(200) NULL;

-- Settings of the organisation as a whole, one row per setting ('defaultLocale'). A setting without a row
-- has its documented default ('en' for defaultLocale).
CREATE TABLE organisation_settings (
    setting_name  NVARCHAR(100) NOT NULL CONSTRAINT pk_organisation_settings PRIMARY KEY,
    setting_value NVARCHAR(200) NOT NULL,
    updated_at    DATETIME2(3)  NOT NULL
);
