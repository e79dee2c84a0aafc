-- The save quota (store/src/quota.rs): per client, the time its bucket is full again.
CREATE TABLE IF NOT EXISTS save_quota (
    client TEXT PRIMARY KEY NOT NULL,        -- the client's address
    tat DOUBLE PRECISION NOT NULL,           -- seconds since the epoch
    allowed BIGINT NOT NULL              -- whether the last take was allowed (1) or refused (0)
);
CREATE INDEX IF NOT EXISTS save_quota_tat ON save_quota(tat);
