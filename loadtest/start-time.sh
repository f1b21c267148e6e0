#!/usr/bin/env bash
# Start to ready of `serve`, A/B: launches the gateway ROUNDS times per variant, alternating, against
# the demo's PostgreSQL and Unleash server, and prints each launch's milliseconds from `java` to the
# first 200 from /ready and the CPU time the JVM used by then, then the medians. Each launch is
# stopped (SIGTERM) before the next.
#
#   loadtest/start-time.sh [--help]
#
# Settings (environment): ROUNDS (5), JAVA_OPTS (the bench's recommended flags),
# VARIANTS: space-separated name=JAR[,cds] entries (default "current=target/order-gate.jar
#   current+cds=target/order-gate.jar,cds"); ",cds" makes an AppCDS archive of that jar first, the
#   way the Dockerfile does (a `serve` with nothing to connect to, which exits 2, archived at exit),
#   and starts with it.
# Ports: 18080/18090 (gateway), and the demo's 8080/8090/4242: run it in a network namespace of its
# own (`unshare -n`) on a shared machine.
set -euo pipefail
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
  exit 0
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-5}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseParallelGC -Xms64m -Xmx192m -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+PerfDisableSharedMem}
VARIANTS=${VARIANTS:-current=target/order-gate.jar current+cds=target/order-gate.jar,cds}
WORK=$(mktemp -d /tmp/order-gate-start.XXXXXX)
log() { echo "[start-time] $*" >&2; }
die() { echo "[start-time] ERROR: $*" >&2; exit 1; }

DEMO_PID=
cleanup() {
  set +e
  [ -n "$DEMO_PID" ] && kill "$DEMO_PID" && wait "$DEMO_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() { # url seconds pid
  local deadline=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ]; do
    [ $SECONDS -lt $deadline ] && kill -0 "$3" 2>/dev/null || return 1
    sleep 0.01
  done
}

declare -A JAR_OF CDS_OF
NAMES=()
for v in $VARIANTS; do
  name=${v%%=*} spec=${v#*=}
  jar=${spec%%,*}
  [ -f "$jar" ] || die "$name: no $jar"
  cp "$jar" "$WORK/$name.jar" # a rebuild during the run must not change what is measured
  JAR_OF[$name]=$WORK/$name.jar
  [[ "$spec" == *,cds ]] && CDS_OF[$name]=1
  NAMES+=("$name")
done

log "starting the demo (PostgreSQL, Unleash)"
java -jar "${JAR_OF[${NAMES[0]}]}" demo --data-dir "$WORK/demo" >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
deadline=$((SECONDS + 240))
until grep -q 'Order Gate demo is running' "$WORK/demo.log"; do
  kill -0 "$DEMO_PID" 2>/dev/null || die "the demo stopped: $(tail -5 "$WORK/demo.log")"
  [ $SECONDS -lt $deadline ] || die "the demo did not start in 240 s"
  sleep 0.5
done
DB_URL=$(grep -o 'ORDERGATE_DATABASE_URL=[^ ]*' "$WORK/demo.log" | head -1 | cut -d= -f2-)
env_of() { # name
  echo ORDERGATE_ENVIRONMENT=production ORDERGATE_BACKEND_URL=http://127.0.0.1:18070 \
    ORDERGATE_OPS_TOKEN=order-gate-demo-ops-token ORDERGATE_DATABASE_URL="$DB_URL" \
    ORDERGATE_BIND_HOST=127.0.0.1 ORDERGATE_HTTP_PORT=18080 ORDERGATE_OPS_PORT=18090 \
    ORDERGATE_INSTANCE_ID="start-$1" UNLEASH_URL=http://127.0.0.1:4242/api \
    UNLEASH_API_TOKEN=default:production.order-gate-demo-client-token \
    UNLEASH_BACKUP_FILE="$WORK/$1-unleash-backup.json" ORDERGATE_AUDIT_SPOOL_DIR="$WORK/$1-spool"
}
launch() { # name extra-opts...; prints ms to ready, then stops it
  local name=$1 pid t0 ms
  shift
  t0=$(date +%s%N)
  # shellcheck disable=SC2046,SC2086
  env $(env_of "$name") java $JAVA_OPTS "$@" -jar "${JAR_OF[$name]}" serve >>"$WORK/$name.log" 2>&1 &
  pid=$!
  if wait_ready http://127.0.0.1:18090/ready 120 "$pid"; then
    ms=$((($(date +%s%N) - t0) / 1000000))
    # and the CPU the JVM used to get there (user + system), which a busy machine changes less
    ms="$ms/$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz }' "/proc/$pid/stat")"
  else
    ms=failed # counted apart: its log says why (on a busy machine, a database connect timeout)
    log "$name did not get ready: $(grep -m1 'failed to start' "$WORK/$name.log" || tail -1 "$WORK/$name.log")"
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" || true
  echo "$ms"
}

for name in "${NAMES[@]}"; do
  if [ -n "${CDS_OF[$name]:-}" ]; then
    log "$name: making the AppCDS archive as the Dockerfile does"
    # The same variables as the Dockerfile's training run: nothing listens on port 9.
    env ORDERGATE_ENVIRONMENT=production ORDERGATE_BACKEND_URL=http://127.0.0.1:9 \
      ORDERGATE_DATABASE_URL=postgresql://postgres@127.0.0.1:9/ordergate \
      ORDERGATE_OPS_TOKEN=cds-training-only-0123456789 UNLEASH_URL=http://127.0.0.1:9/api \
      UNLEASH_API_TOKEN=default:production.cds-training UNLEASH_BACKUP_FILE="$WORK/cds-backup.json" \
      ORDERGATE_AUDIT_SPOOL_DIR="$WORK/cds-spool" \
      java -XX:ArchiveClassesAtExit="$WORK/$name.jsa" -Xlog:cds=off -jar "${JAR_OF[$name]}" serve >"$WORK/$name-cds.log" 2>&1 || true
    [ -f "$WORK/$name.jsa" ] || die "$name: no archive was written"
  fi
done
log "$ROUNDS alternating rounds: ${NAMES[*]}"
declare -A MS
for r in $(seq 1 "$ROUNDS"); do
  for name in "${NAMES[@]}"; do
    extra=()
    [ -n "${CDS_OF[$name]:-}" ] && extra=(-XX:SharedArchiveFile="$WORK/$name.jsa")
    ms=$(launch "$name" "${extra[@]}")
    MS[$name]="${MS[$name]:-} $ms"
    log "round $r $name: $ms ms"
  done
done
echo "start to ready (java launch to the first 200 from /ready) / CPU used by then (user + system), ms, $ROUNDS alternating rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg):"
med() { grep '^[0-9]' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else print "-" }'; }
for name in "${NAMES[@]}"; do
  wall=$(echo "${MS[$name]}" | tr ' ' '\n' | cut -d/ -f1 | med)
  cpu=$(echo "${MS[$name]}" | tr ' ' '\n' | grep / | cut -d/ -f2 | med)
  echo "  $name: median $wall ms to ready, $cpu ms of CPU (runs:${MS[$name]})"
done
