-- A summary gathered over many transactions (a bulk import stores its file batch by batch and queues the summary's
-- messages once at the end) is listed here from the import's start until the transaction that queues its messages.
-- A row left behind is an import that stopped before sending: the next import of the same source takes its items
-- (feedback_items.relayed_in = summary_key) into its own summary. An import touches its row in every batch, so one
-- whose summary another import took over stops instead of storing items nobody would relay.
CREATE TABLE open_summaries (
    summary_key TEXT NOT NULL PRIMARY KEY,
    source      TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX ix_open_summaries_source ON open_summaries (source);
