-- Fair share: a source's weight in the split of the order system's capacity (issue 12).
ALTER TABLE sources ADD COLUMN share int NOT NULL DEFAULT 1 CHECK (share BETWEEN 1 AND 1000);

-- Shadow mode: what the source's shadow action would have done to this request, or NULL.
ALTER TABLE audit ADD COLUMN shadow text;
