-- Clean-up of orders that were forwarded: one run per (source, window), one item per backend order id.
-- run state:  running -> finished | stopped   (a run left 'running' by a dead process is resumed by the next execution)
-- item state: pending -> cancelled (2xx) | gone (404/410) | failed (anything else; the next execution retries it)
CREATE TABLE cleanup_runs (
  id             bigserial PRIMARY KEY,
  source_id      text NOT NULL,
  since          timestamptz NOT NULL,
  until          timestamptz NOT NULL CHECK (until > since),
  cancel_request text NOT NULL,
  state          text NOT NULL DEFAULT 'running',
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  instance_id    text NOT NULL,          -- who runs it, or ran it last
  stop_requested boolean NOT NULL DEFAULT false, -- set through the ops API; the process running it polls it
  UNIQUE (source_id, since, until)
);

CREATE TABLE cleanup_items (
  id          bigserial PRIMARY KEY,     -- the order in which items are sent: oldest order first
  run_id      bigint NOT NULL REFERENCES cleanup_runs(id) ON DELETE CASCADE,
  source_id   text NOT NULL,
  order_id    text NOT NULL,
  received_at timestamptz NOT NULL,
  state       text NOT NULL DEFAULT 'pending',
  attempts    int NOT NULL DEFAULT 0,
  status      int,                       -- the order system's answer to the last attempt
  error       text,                      -- or why there was no answer
  updated_at  timestamptz,
  UNIQUE (run_id, order_id)
);

CREATE INDEX cleanup_items_done ON cleanup_items(source_id, order_id) WHERE state IN ('cancelled', 'gone');
CREATE INDEX cleanup_items_todo ON cleanup_items(run_id, id) WHERE state IN ('pending', 'failed');
