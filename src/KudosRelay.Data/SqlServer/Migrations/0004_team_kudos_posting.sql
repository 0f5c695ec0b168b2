-- Whether customer kudos are posted in a team's channels automatically (1, the default) or only when
-- the praised agent presses "Share with the team" on their direct message (0).

ALTER TABLE teams ADD post_kudos BIT NOT NULL CONSTRAINT df_teams_post_kudos DEFAULT 1;

-- Everything made from one feedback item is found by it: its withdrawal, and who its thanks was passed on to.
CREATE INDEX ix_kudos_feedback_item ON kudos (feedback_item_id);
