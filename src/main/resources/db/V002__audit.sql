-- One row per request the gateway answered, whatever the outcome.
CREATE TABLE audit (
  id               bigserial PRIMARY KEY,
  request_id       text NOT NULL,
  source_id        text,
  method           text NOT NULL,
  path             text NOT NULL,
  decision         text NOT NULL,
  status           int  NOT NULL,
  backend_order_id text,
  flag_revision    bigint NOT NULL,
  received_at      timestamptz NOT NULL,
  completed_at     timestamptz NOT NULL,
  instance_id      text NOT NULL
);

CREATE INDEX audit_source_received ON audit(source_id, received_at);
CREATE INDEX audit_request ON audit(request_id);
