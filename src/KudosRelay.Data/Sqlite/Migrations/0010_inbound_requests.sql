-- Requests from chat platforms that were handled, by the platform's own id of the invocation (a Slack
-- trigger_id or event_id, a Teams activity id), so that a replay or a platform's retry does nothing twice.
-- The row is written in the transaction of what the request did; rows expire after a day and are pruned.
CREATE TABLE inbound_requests (
    request_key TEXT NOT NULL PRIMARY KEY,
    received_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

CREATE INDEX ix_inbound_requests_expires_at ON inbound_requests (expires_at);
