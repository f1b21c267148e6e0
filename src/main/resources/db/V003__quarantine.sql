-- Orders held instead of forwarded (flag variant 'quarantine'), in arrival order (id).
-- state: held -> releasing -> released | in_doubt ; held -> discarded
CREATE TABLE quarantine (
  id               bigserial PRIMARY KEY,
  source_id        text NOT NULL,
  request_id       text NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,          -- path and query as received (origin-form)
  headers          jsonb NOT NULL,         -- [[name, value], ...] as they would be forwarded; never credentials
  body             bytea NOT NULL,
  received_at      timestamptz NOT NULL,
  instance_id      text NOT NULL,
  state            text NOT NULL DEFAULT 'held',
  reason           text,                   -- why it was released or discarded, as given by ops
  decided_at       timestamptz,
  backend_status   int,
  backend_order_id text,
  backend_error    text
);

CREATE INDEX quarantine_held ON quarantine(source_id, id) WHERE state IN ('held', 'releasing');
CREATE INDEX quarantine_source_received ON quarantine(source_id, received_at);
