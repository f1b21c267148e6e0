-- The audit table partitioned by UTC day (the gateway creates partitions ahead and drops them after
-- ORDERGATE_AUDIT_RETENTION_DAYS), refusals beyond the per-source sample counted in audit_refusals,
-- and how far each gateway's spool has been shipped. Existing rows move into the new table.
ALTER TABLE audit RENAME TO audit_v1;
ALTER INDEX audit_pkey RENAME TO audit_v1_pkey;
ALTER INDEX audit_source_received RENAME TO audit_v1_source_received;
ALTER INDEX audit_request RENAME TO audit_v1_request;
ALTER TABLE audit_v1 ALTER COLUMN id DROP DEFAULT;

CREATE TABLE audit (
  id               bigint NOT NULL DEFAULT nextval('audit_id_seq'),
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
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE audit_id_seq OWNED BY audit.id;
-- Only the shipper takes ids; ids order rows of one second, not across gateways.
ALTER SEQUENCE audit_id_seq CACHE 1000;
CREATE INDEX audit_source_received ON audit(source_id, received_at);
CREATE INDEX audit_request ON audit(request_id);
-- Rows outside every day partition (a clock far off, a replay older than the oldest partition).
CREATE TABLE audit_default PARTITION OF audit DEFAULT;

-- Refusals beyond the sample: count requests of source_id (NULL: no known source) that ended with
-- decision in the second starting at "second". Several rows may share a key (one per shipped batch):
-- sum them.
CREATE TABLE audit_refusals (
  second      timestamptz NOT NULL,
  source_id   text,
  decision    text NOT NULL,
  count       bigint NOT NULL CHECK (count > 0),
  instance_id text NOT NULL
) PARTITION BY RANGE (second);
CREATE INDEX audit_refusals_source ON audit_refusals(source_id, second);
CREATE TABLE audit_refusals_default PARTITION OF audit_refusals DEFAULT;

-- Written in the same transaction as each shipped batch: a batch is never stored twice.
CREATE TABLE audit_spool_progress (
  spool_id    text PRIMARY KEY,
  segment     bigint NOT NULL,
  byte_offset bigint NOT NULL,
  instance_id text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE
  today date := (now() AT TIME ZONE 'UTC')::date;
  d date;
BEGIN
  -- Days of the existing rows get partitions (up to 90 days back; older rows go to the default).
  SELECT greatest(coalesce(min((received_at AT TIME ZONE 'UTC')::date), today), today - 90) INTO d
    FROM audit_v1;
  d := least(d, today - 1);
  WHILE d <= today + 3 LOOP
    EXECUTE format('CREATE TABLE audit_p%s PARTITION OF audit FOR VALUES FROM (%L) TO (%L)',
                   to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
    IF d >= today - 1 THEN
      EXECUTE format('CREATE TABLE audit_refusals_p%s PARTITION OF audit_refusals FOR VALUES FROM (%L) TO (%L)',
                     to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
    END IF;
    d := d + 1;
  END LOOP;
END $$;

INSERT INTO audit(id, request_id, source_id, method, path, decision, status, backend_order_id,
                  flag_revision, received_at, completed_at, instance_id)
SELECT id, request_id, source_id, method, path, decision, status, backend_order_id,
       flag_revision, received_at, completed_at, instance_id
FROM audit_v1;
DROP TABLE audit_v1;
