-- No query reads nudges by address (budgets are counted per person, by ix_nudges_recipient), and every nudge the
-- sweeper records paid for this index.
DROP INDEX IF EXISTS ix_nudges_address ON nudges;
