-- Catalog snapshots, stored once each: a saved scenario is re-planned with the catalog it was
-- saved with, so a shared link shows the same numbers next year.
CREATE TABLE IF NOT EXISTS catalog_snapshots (
    id TEXT PRIMARY KEY NOT NULL,            -- Sources::snapshot_id()
    sources_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Saved scenarios are immutable (only the name may change, by the owner); "edit" forks.
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY NOT NULL,            -- random, URL-safe, 96 bits
    owner_token_hash TEXT NOT NULL,          -- SHA-256 of the private owner token
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,                -- RFC 3339, UTC
    schema_version INTEGER NOT NULL,
    scenario_json TEXT NOT NULL,
    catalog_snapshot_id TEXT NOT NULL REFERENCES catalog_snapshots(id),
    parent_id TEXT REFERENCES scenarios(id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS scenarios_parent ON scenarios(parent_id);
