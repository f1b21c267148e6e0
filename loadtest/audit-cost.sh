#!/usr/bin/env bash
# PostgreSQL CPU per shipped audit row, per postgres process (backend, walwriter, checkpointer,
# autovacuum, ...): the focused harness behind docs/performance.md "What an audit row costs
# PostgreSQL". Starts an embedded PostgreSQL as the demo does, applies the gateway's migrations,
# ships forwarded-order rows through the real COPY sink at a steady rate in the shipper's batches.
#
#   loadtest/audit-cost.sh [-Dname=value ...]
#
# Settings (Java system properties): -Drows=200000 (measured rows), -DwarmRows=50000 (shipped
# before measuring), -Drate=16000 (rows/s, about the bench's forwarded rate), -DflushMs=100 (a batch
# is one flush interval of rows), -Dbatch=10000 (the shipper's largest batch), -Dsettle=5 (seconds
# measured after the last batch too), -Dsetup='SQL;SQL' (run after the migrations, to try a schema
# change), -Dpg.<setting>=<value> (PostgreSQL server settings on top of the demo's),
# -Dperf=FILE (perf record -a -g meanwhile), -DpreVacuum=false (no VACUUM ANALYZE after the warm-up:
# autovacuum finds the partition as it is), -Drounds=N -Didle=S (N measured rounds of -Drows each,
# S seconds apart, like the bench's forward rounds). Each round also prints the bench's own figure:
# utime+stime of the postmaster and its children alive at the start and the end, plus the
# postmaster's cutime+cstime (children that exited: autovacuum workers), as loadtest/bench reads it.
# What the bench's demo database goes through: -DwarmRows=280000 -DpreVacuum=false -Drate=18700
# -Drows=187000 -DflushMs=1000 -Drounds=3 -Didle=75 (the line "all rounds, the gaps ..." adds up
# autovacuum's work too, which runs mostly between the rounds).
# SKIP_BUILD=1 uses target/ as it is.
# It starts no network listener besides PostgreSQL's on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
  exit 0
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -o test-compile -DskipLoadtestCompile=true
fi
cp=target/audit-cost.classpath
[ -s "$cp" ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
exec java -XX:+UseParallelGC -Xmx512m "$@" -cp "target/classes:target/test-classes:$(cat "$cp")" \
  io.ordergate.audit.AuditCostProbe
