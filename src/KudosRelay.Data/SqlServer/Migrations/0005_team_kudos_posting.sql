-- Whether customer kudos are posted in a team's channels automatically (1, the default) or only when
-- the praised agent presses "Share with the team" on their direct message (0).

ALTER TABLE teams ADD post_kudos BIT NOT NULL CONSTRAINT df_teams_post_kudos DEFAULT 1;
