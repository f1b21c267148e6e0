#!/usr/bin/env bash
# The long versions of the audit proofs (the suite runs them for ~20 s and ~15 s to fit its budget):
#   - AuditFloodIT: a refused flood at full rate plus forwarded orders for FLOOD_SECONDS; then
#     ordergate_audit_accounted_total must equal sum(ordergate_requests_total), nothing dropped, and
#     every forwarded order has its own row;
#   - AuditOutageIT: PostgreSQL frozen (SIGSTOP of all its processes) for OUTAGE_SECONDS under load:
#     every order answered 201, /ready 200 throughout, nothing lost once it is back; and the
#     spool-full case (writes 503 audit-unavailable, nothing reaches the order system unrecorded);
#   - AuditCrashIT: kill -9 under load, restart on the same spool; prints the orders answered 2xx
#     that lack their row and how long before the kill they were answered (the crash window).
# Each test prints one summary line ("audit flood: …", "audit outage: …", "audit crash: …").
#
#   loadtest/audit-proof.sh [flood-seconds] [outage-seconds]      (defaults: 60 60)
set -euo pipefail
cd "$(dirname "$0")/.."
flood=${1:-60}
outage=${2:-60}
mvn -B -q package -DskipTests -DskipLoadtestCompile=true
mvn -B verify -DskipLoadtestCompile=true -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='AuditFloodIT,AuditOutageIT,AuditCrashIT' \
  -Daudit.flood.seconds="$flood" -Daudit.outage.seconds="$outage"
grep -h -E '^audit (flood|outage|crash):' target/failsafe-reports/*Audit*-output.txt
