#!/usr/bin/env bash
# Incident drill against a running demo: a source sends orders steadily, ops switch it to quarantine
# mid-stream, then release part of the held orders by id, discard part by id (with a reason), release the
# rest by source and revive the source. Then it reconciles end to end and prints PASS/FAIL per check:
#   - sent = 201 (forwarded) + 202 (held) + everything else, by status, on the client side;
#   - the audit table records exactly those request ids as forwarded / quarantined;
#   - every held order ended released or discarded, each discarded one with its reason;
#   - the order system received, from that source, exactly forwarded + released (no request id twice).
# Exit code 0 when every check passed, 1 otherwise.
#
#   loadtest/incident-drill.sh [orders] [per-second] [source]      (defaults: 200 10 perftest)
#
# Run it from the project root while the demo runs, with the `export ORDERGATE_DATABASE_URL=…` line the
# demo printed. Nothing else may send as that source during the drill (the order system's counter is
# compared before and after). Needs curl, jq and psql.
# Env: GATEWAY (http://127.0.0.1:8080), ORDERS (http://127.0.0.1:8070), JAR (target/order-gate.jar),
#      UNLEASH_ADMIN_URL / UNLEASH_ADMIN_TOKEN (the demo's), ORDERGATE_DATABASE_URL (required).
set -euo pipefail
n=${1:-200}
rate=${2:-10}
source=${3:-perftest}
gateway=${GATEWAY:-http://127.0.0.1:8080}
orders=${ORDERS:-http://127.0.0.1:8070}
jar=${JAR:-target/order-gate.jar}
: "${ORDERGATE_DATABASE_URL:?set it with the export line the demo printed}"
export UNLEASH_ADMIN_URL=${UNLEASH_ADMIN_URL:-http://127.0.0.1:4242}
export UNLEASH_ADMIN_TOKEN=${UNLEASH_ADMIN_TOKEN:-'*:*.order-gate-demo-admin-token'}
export ORDERGATE_BACKEND_URL=${ORDERGATE_BACKEND_URL:-$orders}
og() { java -jar "$jar" "$@"; }
sql() { psql -qAt "$ORDERGATE_DATABASE_URL" -c "$1"; }
received() { curl -sf "$orders/orders" | jq -r --arg s "$source" '.receivedBySource[$s] // 0'; }

run="drill-$(date -u +%Y%m%dT%H%M%S)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
before=$(received)
echo "Drill $run: $n orders from '$source' at ~$rate/s; quarantine switched on halfway."

og revive "$source" >/dev/null
sleep 1.5
interval=$(awk -v r="$rate" 'BEGIN { printf "%.3f", 1 / r }')
for i in $(seq 1 "$n"); do
  curl -s -o /dev/null -w "$run-$i %{http_code}\n" -X POST "$gateway/orders" \
    -H "Authorization: Bearer demo-$source-key" -H 'X-Upstream-Environment: production' \
    -H 'Content-Type: application/json' -H "X-Request-Id: $run-$i" -d "{\"sku\":\"$run-$i\",\"qty\":1}" >>"$work/sent"
  if [ "$i" -eq $(( n / 2 )) ]; then og hold "$source" >/dev/null & fi
  sleep "$interval"
done
wait
echo "Client side, by status:"; awk '{print $2}' "$work/sent" | sort | uniq -c | sed 's/^/  /'
sent=$(wc -l <"$work/sent")
forwarded=$(awk '$2 == 201' "$work/sent" | wc -l)
held=$(awk '$2 == 202' "$work/sent" | wc -l)
other=$(( sent - forwarded - held ))

# The held orders of this drill, oldest first: release the first third by id, discard the second third by id.
mapfile -t ids < <(sql "SELECT id FROM quarantine WHERE request_id LIKE '$run-%' AND state = 'held' ORDER BY id")
third=$(( ${#ids[@]} / 3 ))
join() { local IFS=,; echo "$*"; }
if [ "$third" -gt 0 ]; then
  og quarantine release --source "$source" --ids "$(join "${ids[@]:0:third}")" --reason "$run: real orders" --rate 20 --yes >/dev/null 2>&1
  og quarantine discard --source "$source" --ids "$(join "${ids[@]:third:third}")" --reason "$run: bogus orders" --yes >/dev/null 2>&1
fi
og revive "$source" >/dev/null
sleep 1.5
# The rest by source: only this drill's orders are held, if nothing else sent as the source meanwhile.
og quarantine release --source "$source" --reason "$run: the rest is real" --rate 20 --yes >/dev/null 2>&1
sleep 2.5 # the audit writer flushes every 100 ms and ships at least once a second (ORDERGATE_AUDIT_SHIP_INTERVAL_MS)

fails=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then echo "PASS  $1: $3"; else echo "FAIL  $1: expected $2, got $3"; fails=$(( fails + 1 )); fi
}
audit() { sql "SELECT count(*) FROM audit WHERE request_id LIKE '$run-%' AND decision = '$1'"; }
qstate() { sql "SELECT count(*) FROM quarantine WHERE request_id LIKE '$run-%' AND state = '$1'"; }
released=$(qstate released)
discarded=$(qstate discarded)
echo "Sent $sent: forwarded $forwarded, held $held, other $other; held -> released $released, discarded $discarded"
check "sent = 201 + 202 + other" "$sent" "$(( forwarded + held + other ))"
check "audit: forwarded" "$forwarded" "$(audit forwarded)"
check "audit: quarantined" "$held" "$(audit quarantined)"
check "audit: every request of the drill audited once" "$sent" \
  "$(sql "SELECT count(*) FROM audit WHERE request_id LIKE '$run-%' AND decision <> 'released'")"
check "held orders still held" 0 "$(qstate held)"
check "held = released + discarded" "$held" "$(( released + discarded ))"
check "discarded without a reason" 0 \
  "$(sql "SELECT count(*) FROM quarantine WHERE request_id LIKE '$run-%' AND state = 'discarded' AND coalesce(reason, '') = ''")"
check "audit: released" "$released" "$(audit released)"
check "request ids sent to the order system more than once" 0 \
  "$(sql "SELECT count(*) FROM (SELECT request_id FROM audit WHERE request_id LIKE '$run-%' AND decision IN ('forwarded', 'released') GROUP BY request_id HAVING count(*) > 1) d")"
check "order system received from '$source' (forwarded + released)" "$(( forwarded + released ))" "$(( $(received) - before ))"
[ "$fails" -eq 0 ] && echo "All checks passed." || echo "$fails check(s) failed."
echo "Clean up the forwarded and released orders of this drill with (dry run first):"
echo "  java -jar $jar cleanup --source $source --since $(sql "SELECT to_char(min(received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM audit WHERE request_id LIKE '$run-%'")"
[ "$fails" -eq 0 ]
