-- A department's own values of the org file's nudges: block. NULL follows the organisation's block, which is
-- stored in organisation_settings as 'nudges.headsUpBefore', 'nudges.reminders', … (a setting without a row has
-- its documented default). Lengths keep the org file's form ('4h', '1d', '1d4h'): a day is one working day of
-- the department, so it follows the department's hours when they change. Reminders are comma-separated
-- ('4h,1d,2d'); '' is no reminders at all.

ALTER TABLE departments ADD
    nudge_heads_up_before NVARCHAR(20)  NULL,
    nudge_reminders       NVARCHAR(200) NULL,
    nudge_lead_note       BIT           NULL,
    nudge_daily_budget    INT           NULL,
    nudge_weekly_budget   INT           NULL,
    nudge_grace           NVARCHAR(20)  NULL;
