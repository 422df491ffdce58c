-- Flyway migration 1: the idempotency record, one row per handled message id.
CREATE TABLE processed_message (
    message_id   VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL DEFAULT now()
);

-- For a periodic clean-up of ids older than the broker's retention.
CREATE INDEX processed_message_processed_at_idx ON processed_message (processed_at);
