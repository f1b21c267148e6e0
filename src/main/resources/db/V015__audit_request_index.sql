-- PostgreSQL's CPU per forwarded order (issue 10): the btree on request_id (random keys, so every
-- row lands on a random leaf page; once a day's index outgrows shared_buffers each row also costs
-- page reads and evictions) took about half of what PostgreSQL spent per audit row, for one runbook
-- lookup. That lookup now names the source and a time window and uses audit_source_received
-- (docs/runbook.md, "Who stopped these orders"). Rows are kept; only the index goes.
DROP INDEX IF EXISTS audit_request;
