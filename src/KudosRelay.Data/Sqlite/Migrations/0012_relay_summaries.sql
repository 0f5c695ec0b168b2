-- Feedback relayed as part of a summary (a bulk import, or a webhook batch with many items for one agent)
-- names that summary here: its outbox messages are keyed '{relayed_in}:dm:{person id}' and
-- '{relayed_in}:team:{team id}:{platform}', and a withdrawn item's summary is rebuilt from the items that
-- name it. NULL for an item relayed on its own or not relayed at all.
ALTER TABLE feedback_items ADD COLUMN relayed_in TEXT NULL;

CREATE INDEX ix_feedback_items_relayed_in ON feedback_items (relayed_in) WHERE relayed_in IS NOT NULL;
