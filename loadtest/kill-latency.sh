#!/usr/bin/env bash
# Measures how long a kill and a revive take to reach the gateway, against a running demo:
# flip order-source.<source> through the Unleash Admin API, then poll the gateway every ~10 ms
# until the source's writes are refused (503) or accepted (201) again. Prints each delay and
# min/median/p99/max for both directions.
#
#   loadtest/kill-latency.sh [rounds] [source]      (defaults: 20 perftest)
#
# Env: GATEWAY (http://127.0.0.1:8080), UNLEASH_ADMIN_URL (http://127.0.0.1:4242),
#      UNLEASH_ADMIN_TOKEN (the demo admin token), UNLEASH_PROJECT, UNLEASH_ENVIRONMENT.
set -euo pipefail
rounds=${1:-20}
source=${2:-perftest}
gateway=${GATEWAY:-http://127.0.0.1:8080}
admin=${UNLEASH_ADMIN_URL:-http://127.0.0.1:4242}
token=${UNLEASH_ADMIN_TOKEN:-'*:*.order-gate-demo-admin-token'}
project=${UNLEASH_PROJECT:-default}
environment=${UNLEASH_ENVIRONMENT:-production}
flag_url="$admin/api/admin/projects/$project/features/order-source.$source/environments/$environment"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
order_status() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "$gateway/orders" \
    -H "Authorization: Bearer demo-$source-key" -H 'X-Upstream-Environment: production' \
    -H 'Content-Type: application/json' -d '{"sku":"LAT-1","qty":1}'
}
flip() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: $token" "$flag_url/$1")
  [ "$code" = 200 ] || { echo "Unleash answered $code to $1" >&2; exit 1; }
}
await_status() {
  local want=$1 start=$2 deadline=$(( $2 + 10000 ))
  while [ "$(order_status)" != "$want" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "no $want within 10 s" >&2; exit 1; }
    sleep 0.01
  done
  echo $(( $(now_ms) - start ))
}
summary() {
  sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
    p99 = v[int((NR * 99 + 99) / 100)]; if (p99 == "") p99 = v[NR];
    printf "%-7s n=%d  min %d ms  median %d ms  p99 %d ms  max %d ms\n", name, NR, v[1], v[int((NR + 1) / 2)], p99, v[NR] }'
}

[ "$(order_status)" = 201 ] || { echo "$source is not accepted now; revive it first" >&2; exit 1; }
kills=() revives=()
for i in $(seq 1 "$rounds"); do
  t=$(now_ms); flip off; k=$(await_status 503 "$t"); kills+=("$k")
  sleep 0.$(( RANDOM % 9 + 1 ))
  t=$(now_ms); flip on; r=$(await_status 201 "$t"); revives+=("$r")
  echo "round $i: kill ${k} ms, revive ${r} ms"
  sleep 0.$(( RANDOM % 9 + 1 ))
done
printf '%s\n' "${kills[@]}" | summary kill
printf '%s\n' "${revives[@]}" | summary revive
