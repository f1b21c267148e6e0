#!/usr/bin/env bash
# The long versions of the audit proofs. The suite runs the same integration tests for ~15-20 s to
# fit its budget; this script runs them for as long as you ask and prints one summary line per
# proof plus the accounting check: ordergate_audit_accounted_total (requests durably in PostgreSQL)
# against sum(ordergate_requests_total), and ordergate_audit_dropped_total (must be 0).
usage() {
  cat <<'EOF'
Usage: loadtest/audit-proof.sh [--offline] [FLOOD_SECONDS [OUTAGE_SECONDS]]   (defaults: 60 60)

Runs, with real components (embedded PostgreSQL, the packaged jar):
  AuditFloodIT    a refused flood at full rate plus forwarded orders for FLOOD_SECONDS;
  AuditOutageIT   PostgreSQL frozen (SIGSTOP) for OUTAGE_SECONDS under load, then the spool-full
                  case (writes 503 audit-unavailable, nothing forwarded unrecorded);
  AuditRestartIT  PostgreSQL stopped (process gone, port closed) for OUTAGE_SECONDS under load,
                  then started again on the same data directory and port;
  AuditCrashIT    kill -9 of the gateway under load, restart on the same spool: orders answered 2xx
                  without a row, and how long before the kill they were answered (crash window).

Prints each test's summary line, then per proof: requests, accounted, dropped and OK/FAIL
(accounted must equal requests and dropped must be 0). Exit 0 when every test passed.

  --offline   run Maven offline (-o), e.g. inside `unshare -n`, which has no network
  -h, --help  this text

The Maven log goes to target/audit-proof-maven.log. Uses free loopback ports only, but the load
is heavy: run it on a quiet machine for figures you want to quote.
EOF
}
set -uo pipefail
cd "$(dirname "$0")/.."
maven=(mvn -B)
args=()
for a in "$@"; do
  case "$a" in
    -h | --help) usage; exit 0 ;;
    --offline) maven+=(-o) ;;
    -*) echo "audit-proof: unknown option $a (see --help)" >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done
flood=${args[0]:-60}
outage=${args[1]:-60}
for n in "$flood" "$outage"; do
  if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "audit-proof: seconds must be a positive whole number, got '$n' (see --help)" >&2
    exit 2
  fi
done
if [ "${#args[@]}" -gt 2 ]; then
  echo "audit-proof: at most two numbers (flood and outage seconds), see --help" >&2
  exit 2
fi

tests='AuditFloodIT,AuditOutageIT,AuditRestartIT,AuditCrashIT'
log=target/audit-proof-maven.log
mkdir -p target
rm -f target/failsafe-reports/*Audit*IT-output.txt
echo "audit-proof: flood ${flood} s, outage ${outage} s; building and running $tests (log: $log)"
started=$(date +%s)
"${maven[@]}" verify -DskipLoadtestCompile=true -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$tests" -Daudit.flood.seconds="$flood" -Daudit.outage.seconds="$outage" >"$log" 2>&1
status=$?
echo "audit-proof: Maven finished in $(($(date +%s) - started)) s (exit $status)"
echo
summaries=$(cat target/failsafe-reports/*Audit*IT-output.txt 2>/dev/null |
  grep -h -E '^audit (flood|outage|restart|crash):' || true)
if [ -z "$summaries" ]; then
  echo "audit-proof: no test printed a summary; the end of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "$summaries"
echo
# The lines with the accounting print "requests N, accounted N, dropped N".
printf '%-10s %12s %12s %8s  %s\n' proof requests accounted dropped check
echo "$summaries" | awk '
  match($0, /requests [0-9]+, accounted [0-9]+, dropped [0-9]+/) {
    split(substr($0, RSTART, RLENGTH), f, /[ ,]+/)
    ok = (f[2] == f[4] && f[6] == 0) ? "OK" : "FAIL (accounted must equal requests, dropped 0)"
    name = $2
    sub(/:$/, "", name)
    printf "%-10s %12d %12d %8d  %s\n", name, f[2], f[4], f[6], ok
  }'
echo
grep -h -E '^\[(ERROR|INFO)\] Tests run:|^\[ERROR\] .*(FAILURE|Assertion|not within)' "$log" |
  grep -v -- '-- in ' || true
if [ "$status" -ne 0 ]; then
  echo "audit-proof: FAILED (exit $status); details in $log and target/failsafe-reports/" >&2
  exit 1
fi
echo "audit-proof: all proofs passed"
