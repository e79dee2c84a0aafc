-- Saved scenarios: immutable; "edit" forks. The catalog snapshot keeps a shared link's numbers.
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY NOT NULL,            -- random, URL-safe, >= 64 bits
    owner_token_hash TEXT NOT NULL,          -- hash of the private owner token
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,                -- RFC 3339, UTC
    schema_version INTEGER NOT NULL,
    scenario_json TEXT NOT NULL,
    catalog_snapshot_id TEXT NOT NULL,
    catalog_snapshot_json TEXT NOT NULL,
    parent_id TEXT REFERENCES scenarios(id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS scenarios_parent ON scenarios(parent_id);
