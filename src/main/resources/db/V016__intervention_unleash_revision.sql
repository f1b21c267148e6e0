-- The Unleash revision (its latest event id) once the change made with an intervention was in
-- (issue 11's precedence rule): a flag state a replica sees from an older revision, a late webhook
-- or a fetch published before the change, predates the intervention and does not end it. NULL when
-- the command made no Unleash change or could not read the revision (then every state counts).
ALTER TABLE interventions ADD COLUMN unleash_revision bigint;
