-- Interventions: ops and automatic actions on a source, broadcast to every replica (LISTEN/NOTIFY
-- on channel ordergate_interventions). The latest intervention of a source holds until a replica
-- observes the next change of that source's flag in Unleash; then superseded_at is set.
CREATE TABLE interventions (
  id              bigserial PRIMARY KEY,
  source_id       text NOT NULL,
  action          text NOT NULL CHECK (action IN ('kill', 'revive', 'hold', 'throttle', 'shadow', 'trip')),
  -- what the gateway does with the source's writes while it holds: reject, quarantine, throttle,
  -- accept; null leaves the Unleash decision in force (shadow)
  enforces        text CHECK (enforces IN ('reject', 'quarantine', 'throttle', 'accept')),
  rate_per_second integer CHECK (rate_per_second >= 0),
  actor           text NOT NULL,
  reason          text NOT NULL DEFAULT '',
  -- the Unleash change made together with it, e.g. "order-source.perftest OFF in production", or
  -- why none was made
  unleash_change  text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- the source's flag as the first replica to apply it saw it in Unleash ({exists, enabled,
  -- variant, payload}); a replica that starts later compares with this, not with its bootstrap
  unleash_baseline jsonb,
  superseded_at   timestamptz,
  superseded_by   text
);

CREATE INDEX interventions_source ON interventions(source_id, id DESC);

-- Every running gateway, written at start and by a heartbeat every second.
CREATE TABLE replicas (
  instance_id           text PRIMARY KEY,
  host                  text NOT NULL,
  traffic_port          integer NOT NULL,
  ops_port              integer NOT NULL,
  started_at            timestamptz NOT NULL,
  heartbeat_at          timestamptz NOT NULL,
  stopped_at            timestamptz,
  applied_intervention  bigint NOT NULL DEFAULT 0,
  -- per source: what this replica enforces and why (see /ops/replicas)
  state                 jsonb NOT NULL DEFAULT '{}'
);

-- One row per intervention and replica that enforces it.
CREATE TABLE intervention_acks (
  intervention_id bigint NOT NULL REFERENCES interventions(id) ON DELETE CASCADE,
  instance_id     text NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (intervention_id, instance_id)
);
