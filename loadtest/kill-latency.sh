#!/usr/bin/env bash
# Measures how fast a kill and a revive reach every gateway replica, against a running demo
# (java -jar target/order-gate.jar demo --replicas 3). Two ways, N rounds each:
#
#   admin    flip order-source.<source> through the Unleash Admin API (what the UI does), then poll
#            every replica until all refuse (503) or accept (201) the source's writes. With the demo's
#            webhook addon this is Unleash's publication delay plus the webhook. Measured by
#            loadtest/KillProbe.java (all replicas polled at once on kept-alive connections every
#            ~5 ms, clock started just before the admin request); PROBE=curl measures with the
#            shell loop used before 2026-12-02 11:00 (a curl and a date per probe, replicas in turn,
#            10 ms apart: it adds 100-300 ms). The probe's ~600 writes/s would trip the source's
#            auto-trip, so with ORDERGATE_DATABASE_URL set the script turns it off for the source
#            (sources set <source> --trip-rate off), says so, and sets it back when it ends
#            (TRIP_RATE_AFTER; default 100 for perftest, the demo's seed, off for the others).
#   command  run the confirmed command (scripts/order-gate kill|revive <source>: the launcher ops use,
#            see docs/reference.md "Command start-up"), which returns once every
#            live replica acknowledged; measure its wall time (JVM start included), read the
#            publish -> last acknowledgement time it prints ("slowest N ms"), and check that every
#            replica already gives the new answer right after it returned (violations are counted).
#
#   loadtest/kill-latency.sh [rounds] [source] [mode]     (defaults: 20 perftest both)
#
# Env: REPLICAS (3; replica i on 8080+i), UNLEASH_ADMIN_URL (http://127.0.0.1:4242),
#      UNLEASH_ADMIN_TOKEN (the demo admin token), UNLEASH_PROJECT, UNLEASH_ENVIRONMENT,
#      ORDERGATE_DATABASE_URL (printed by the demo; required for mode command), JAR
#      (target/order-gate.jar), CLI (scripts/order-gate; CLI='java -jar target/order-gate.jar' runs
#      the commands without the launcher, as before), PROBE (java; curl for the shell loop).
set -euo pipefail
rounds=${1:-20}
source=${2:-perftest}
mode=${3:-both}
replicas=${REPLICAS:-3}
admin=${UNLEASH_ADMIN_URL:-http://127.0.0.1:4242}
token=${UNLEASH_ADMIN_TOKEN:-'*:*.order-gate-demo-admin-token'}
project=${UNLEASH_PROJECT:-default}
environment=${UNLEASH_ENVIRONMENT:-production}
jar=${JAR:-target/order-gate.jar}
cli=${CLI:-scripts/order-gate}
export ORDERGATE_JAR=$jar
flag_url="$admin/api/admin/projects/$project/features/order-source.$source/environments/$environment"
export UNLEASH_ADMIN_URL=$admin UNLEASH_ADMIN_TOKEN=$token

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
order_status() { # port
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/orders" \
    -H "Authorization: Bearer demo-$source-key" -H 'X-Upstream-Environment: production' \
    -H 'Content-Type: application/json' -d '{"sku":"LAT-1","qty":1}'
}
flip() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: $token" "$flag_url/$1")
  [ "$code" = 200 ] || { echo "Unleash answered $code to $1" >&2; exit 1; }
}
# Waits until every replica answers $1; prints ms since $2.
await_all() {
  local want=$1 start=$2 deadline=$(( $2 + 10000 )) i
  for i in $(seq 0 $(( replicas - 1 ))); do
    while [ "$(order_status $(( 8080 + i )))" != "$want" ]; do
      [ "$(now_ms)" -lt "$deadline" ] || { echo "replica $i: no $want within 10 s" >&2; exit 1; }
      sleep 0.01
    done
  done
  echo $(( $(now_ms) - start ))
}
# Counts replicas that do not answer $1 right now.
wrong_now() {
  local want=$1 n=0 i
  for i in $(seq 0 $(( replicas - 1 ))); do
    [ "$(order_status $(( 8080 + i )))" = "$want" ] || n=$(( n + 1 ))
  done
  echo $n
}
summary() {
  sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
    p99 = v[int((NR * 99 + 99) / 100)]; if (p99 == "") p99 = v[NR];
    printf "%-22s n=%d  min %d ms  p50 %d ms  p99 %d ms  max %d ms\n", name, NR, v[1], v[int((NR + 1) / 2)], p99, v[NR] }'
}

[ "$(wrong_now 201)" = 0 ] || { echo "$source is not accepted by every replica now; revive it first" >&2; exit 1; }
admin_kills=() admin_revives=() cmd_kills=() cmd_revives=() acks_kill=() acks_revive=() violations=0

probe=${PROBE:-java}
if { [ "$mode" = both ] || [ "$mode" = admin ]; } && [ "$probe" = java ]; then
  if [ -n "${ORDERGATE_DATABASE_URL:-}" ]; then
    # What to set back afterwards: the demo seeds perftest at 100 writes/s; others say TRIP_RATE_AFTER.
    restore=${TRIP_RATE_AFTER:-$([ "$source" = perftest ] && echo 100 || echo off)}
    echo "Turning the auto-trip of $source off for the measurement (the probe sends ~600 writes/s); --trip-rate $restore afterwards."
    # shellcheck disable=SC2086
    $cli sources set "$source" --trip-rate off >/dev/null
    # shellcheck disable=SC2064,SC2086
    trap "$cli sources set '$source' --trip-rate $restore >/dev/null || echo 'could not set the auto-trip of $source back to $restore' >&2" EXIT
    sleep 2 # the replicas apply it within a second
  fi
  REPLICAS=$replicas java "$(dirname "$0")/KillProbe.java" "$rounds" "$source"
elif [ "$mode" = both ] || [ "$mode" = admin ]; then
  for i in $(seq 1 "$rounds"); do
    t=$(now_ms); flip off; k=$(await_all 503 "$t"); admin_kills+=("$k")
    sleep 0.$(( RANDOM % 9 + 1 ))
    t=$(now_ms); flip on; r=$(await_all 201 "$t"); admin_revives+=("$r")
    echo "admin round $i: all $replicas refuse after ${k} ms, all accept again after ${r} ms"
    sleep 0.$(( RANDOM % 9 + 1 ))
  done
fi

if [ "$mode" = both ] || [ "$mode" = command ]; then
  [ -n "${ORDERGATE_DATABASE_URL:-}" ] || { echo "mode command needs ORDERGATE_DATABASE_URL (the demo prints it)" >&2; exit 1; }
  run_cmd() { # verb want; sets wall and slowest
    local t out wrong
    t=$(now_ms)
    # shellcheck disable=SC2086
    out=$($cli "$1" "$source" --reason "kill-latency.sh" 2>&1) || { echo "$out" >&2; exit 1; }
    wall=$(( $(now_ms) - t ))
    wrong=$(wrong_now "$2")
    violations=$(( violations + wrong ))
    slowest=$(sed -n 's/.*(slowest \([0-9]*\) ms).*/\1/p' <<<"$out")
    slowest=${slowest:-0}
  }
  # Once, not measured: the launcher's first command after a new jar writes its class archive.
  # shellcheck disable=SC2086
  $cli status >/dev/null 2>&1 || true
  for i in $(seq 1 "$rounds"); do
    before=$violations
    run_cmd kill 503; kw=$wall; ka=$slowest; cmd_kills+=("$kw"); acks_kill+=("$ka")
    run_cmd revive 201; rw=$wall; ra=$slowest; cmd_revives+=("$rw"); acks_revive+=("$ra")
    echo "command round $i: kill ${kw} ms (last ack ${ka} ms after publish), revive ${rw} ms (last ack ${ra} ms); replicas not yet enforcing on return: $(( violations - before ))"
  done
fi

echo
[ ${#admin_kills[@]} -eq 0 ] || {
  printf '%s\n' "${admin_kills[@]}" | summary "admin kill -> all"
  printf '%s\n' "${admin_revives[@]}" | summary "admin revive -> all"
}
[ ${#cmd_kills[@]} -eq 0 ] || {
  printf '%s\n' "${cmd_kills[@]}" | summary "kill command wall"
  printf '%s\n' "${cmd_revives[@]}" | summary "revive command wall"
  printf '%s\n' "${acks_kill[@]}" "${acks_revive[@]}" | summary "publish -> last ack"
  echo "replicas not yet enforcing when the command returned: $violations (of $(( rounds * 2 * replicas )) checks)"
}
