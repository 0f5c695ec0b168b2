-- A department's own values of the org file's nudges: block. NULL follows the organisation's block, which is
-- stored in organisation_settings as 'nudges.headsUpBefore', 'nudges.reminders', … (a setting without a row has
-- its documented default). Lengths keep the org file's form ('4h', '1d', '1d4h'): a day is one working day of
-- the department, so it follows the department's hours when they change. Reminders are comma-separated
-- ('4h,1d,2d'); '' is no reminders at all.

ALTER TABLE departments ADD COLUMN nudge_heads_up_before TEXT    NULL;
ALTER TABLE departments ADD COLUMN nudge_reminders       TEXT    NULL;
ALTER TABLE departments ADD COLUMN nudge_lead_note       INTEGER NULL;
ALTER TABLE departments ADD COLUMN nudge_daily_budget    INTEGER NULL;
ALTER TABLE departments ADD COLUMN nudge_weekly_budget   INTEGER NULL;
ALTER TABLE departments ADD COLUMN nudge_grace           TEXT    NULL;
