-- Auto-trip (issue 12): per source a trip rate in writes per second across the fleet, optionally
-- a learned baseline (trip at trip_baseline x the source's own recent rate, the trip rate being the
-- floor). NULL: the source never trips.
ALTER TABLE sources ADD COLUMN trip_rate int CHECK (trip_rate > 0);
ALTER TABLE sources ADD COLUMN trip_baseline double precision CHECK (trip_baseline >= 1);

-- Each replica's writes per second per source over the last second, written every second:
-- the fleet rate of a source is the sum over live replicas.
ALTER TABLE replicas ADD COLUMN rates jsonb NOT NULL DEFAULT '{}';
