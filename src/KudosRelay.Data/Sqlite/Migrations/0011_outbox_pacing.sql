-- The platforms' rate budgets (a Slack channel, a Teams conversation, a method's tier), shared by every instance:
-- each row is a budget's next-send time (a generic cell rate), moved on in the transaction that leases a message
-- spending it. A row whose time has passed holds nothing a missing row would not, so such rows are pruned.
CREATE TABLE outbox_pacing (
    budget_key   TEXT NOT NULL PRIMARY KEY,
    next_send_at TEXT NOT NULL
);

CREATE INDEX ix_outbox_pacing_next_send_at ON outbox_pacing (next_send_at);
