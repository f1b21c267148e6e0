-- Who or what decided a request (issue 11): the intervention (table interventions) in force for the
-- source's decision when the request was judged; NULL when Unleash alone decided (or nothing about
-- the source did: unknown credentials, unparsable requests, quarantine releases). Refusals beyond
-- the per-source sample carry it too, so their counts split by intervention. No foreign key: the
-- audit is partitioned and outlives nothing it points to by design, and the shipper must never fail
-- a batch over it. Nullable without a default: adding it rewrites no partition.
ALTER TABLE audit ADD COLUMN intervention_id bigint;
ALTER TABLE audit_refusals ADD COLUMN intervention_id bigint;
