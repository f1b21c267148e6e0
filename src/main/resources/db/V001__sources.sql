-- Order sources and their API keys. Keys are stored only as SHA-256 hashes (hex).
CREATE TABLE sources (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  environment text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  rotated_at  timestamptz
);

CREATE TABLE source_keys (
  key_hash   text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  source_id  text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX source_keys_source ON source_keys(source_id);
