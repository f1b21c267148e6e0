-- Requests carrying an Idempotency-Key, one row per (source, key), until expires_at.
-- state 'in_flight' while the first request runs (expires_at = a short lease), 'done' with the
-- response to replay (expires_at = ORDERGATE_IDEMPOTENCY_TTL after it finished).
CREATE TABLE idempotency_keys (
  source_id    text NOT NULL,
  key          text NOT NULL,
  request_hash bytea NOT NULL,
  request_id   text NOT NULL,
  state        text NOT NULL,
  status       int,
  headers      jsonb,
  body         bytea,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (source_id, key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys(expires_at);
