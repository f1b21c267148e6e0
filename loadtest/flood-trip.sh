#!/usr/bin/env bash
# The unkilled flood, N times, against a running demo (java -jar target/order-gate.jar demo): the
# Gatling simulation FloodTrip sends web/mobile/partner at RATE orders/s in all, then perftest ramps
# to FLOOD_FACTOR x RATE and floods with nobody killing it; the gateway's auto-trip has to stop it.
# First a SteadyMix run with the same legitimate traffic (and no flood) gives the baseline p99.
# Then it prints, over the runs:
#   - flood start -> trip: as GET /ops/sources first shows the auto-trip, and as the first perftest
#     answer that shows it (202 held, or 503 quarantine-unavailable/source-disabled, 429
#     source-throttled): p50, p99, max (target: p99 <= 2000 ms);
#   - perftest orders the order system received (its own GET /orders count) against the bound
#     2 s x the flood rate;
#   - legitimate failures (target: 0) and legitimate p99 during the flood / the baseline's p99
#     (target: <= 1.2), and p99 before, during, after the flood.
# Each run revives perftest and discards its held orders at the end, so runs can follow each other.
#
#   loadtest/flood-trip.sh [runs] [-- -Dname=value ...]             (runs: 10)
#   loadtest/flood-trip.sh --steady 10m [-- -Dname=value ...]
#
# --steady DURATION (10m, 600s, 1h): instead, one SteadyMix of that length (STEADY_RATE orders/s,
#   SWING: 3 climbs to three times that rate and back, a compressed day) and the automatic trips
#   during it, from GET /ops/sources and from ordergate_trips_total; expects 0.
# Arguments after -- go to Gatling as they are (FloodTrip's and SteadyMix's -D settings: see
# docs/performance.md).
# Exit code 0 when every target was met, 1 when one was missed, 2 for bad arguments or no demo.
#
# Env: RATE (150), FLOOD_FACTOR (10), BEFORE (15 s), RAMP (1 s), FLOOD (30 s), AFTER (15 s),
#      WARMUP (30 s of SteadyMix first, not measured; 0: none), RUN_WARMUP (5 s: the first seconds
#      of each FloodTrip run, reported as their own phase "warmup", not "before"), BASELINE (60 s of SteadyMix after
#      it; 0: compare with each run's before-flood window instead),
#      PAUSE (5 s between runs), STEADY_RATE (300), SWING (1), OPS_URL (http://127.0.0.1:8090),
#      MVN_FLAGS ("-B -q"; add -o to stay offline), OUT (loadtest/target/flood-trip-<time>),
#      CPU_TIMELINE (1: sample CPU per process group every 250 ms into OUT/cpu.csv meanwhile, see
#      loadtest/cpu-timeline.py; 0: not),
#      LOADGEN_CPUS (none): run Maven and Gatling under `taskset -c LOADGEN_CPUS`, e.g. 1, so the load
#      generator keeps to its own core, as if it ran on a machine of its own; start the demo on the
#      other core to match (`taskset -c 0 java -jar target/order-gate.jar demo`). The baseline and the
#      runs are pinned alike, so their ratio stays a like-for-like comparison.
# Every run also writes OUT/run-N-timeline.csv (the baseline OUT/baseline-timeline.csv): legitimate
# count, p50, p99, max and failures per 250 ms (-DtimelineMs) by send time, from the flood's start.
set -euo pipefail
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$self")"

usage() { sed -n '2,/^set -euo/p' "$self" | sed '$d' | sed 's/^# \{0,1\}//'; }
fail() { echo "flood-trip.sh: $*" >&2; exit 2; }

runs=10
steady=""
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --steady) [ $# -ge 2 ] || fail "--steady needs a duration such as 10m"; steady=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    [0-9]*) [[ $1 =~ ^[1-9][0-9]*$ ]] || fail "runs must be a whole number > 0, not '$1'"; runs=$1; shift ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

seconds() { # 10m | 600s | 600 | 1h -> seconds
  case $1 in
    *h) [[ ${1%h} =~ ^[0-9]+$ ]] && echo $(( ${1%h} * 3600 )) ;;
    *m) [[ ${1%m} =~ ^[0-9]+$ ]] && echo $(( ${1%m} * 60 )) ;;
    *s) [[ ${1%s} =~ ^[0-9]+$ ]] && echo "${1%s}" ;;
    *) [[ $1 =~ ^[0-9]+$ ]] && echo "$1" ;;
  esac
}

if [ -n "$steady" ]; then
  duration=$(seconds "$steady") || true
  [ -n "$duration" ] && [ "$duration" -gt 0 ] || fail "--steady needs a duration such as 10m, 600s or 1h, not '$steady'"
fi
rate=${RATE:-150}
ops=${OPS_URL:-http://127.0.0.1:8090}
read -r -a mvn_flags <<<"${MVN_FLAGS:--B -q}"
pin=()
if [ -n "${LOADGEN_CPUS:-}" ]; then
  command -v taskset >/dev/null || fail "LOADGEN_CPUS needs taskset (Debian package util-linux)"
  taskset -c "$LOADGEN_CPUS" true 2>/dev/null || fail "LOADGEN_CPUS=$LOADGEN_CPUS is not a CPU list taskset accepts here"
  pin=(taskset -c "$LOADGEN_CPUS")
fi
command -v jq >/dev/null || fail "needs jq"
curl -sf -o /dev/null "$ops/health" \
  || fail "the demo does not answer at $ops (start it: java -jar target/order-gate.jar demo)"
out=${OUT:-target/flood-trip-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

mvn "${mvn_flags[@]}" test-compile >"$out/compile.log" 2>&1 || fail "loadtest does not compile: $out/compile.log"

if [ "${CPU_TIMELINE:-1}" = 1 ] && command -v python3 >/dev/null; then
  python3 "$(dirname "$self")/cpu-timeline.py" 250 >"$out/cpu.csv" &
  sampler=$!
  trap 'kill "$sampler" 2>/dev/null || true' EXIT
fi

gatling() { # simulation summary-file log -Dsettings...
  local simulation=$1 summary=$2 log=$3
  shift 3
  rm -f "$summary"
  "${pin[@]}" mvn "${mvn_flags[@]}" gatling:test -Dgatling.simulationClass="io.ordergate.loadtest.$simulation" \
    -DsummaryFile="$summary" -DtimelineFile="${summary%.json}-timeline.csv" "$@" "${extra[@]}" >"$log" 2>&1 || true
  [ -s "$summary" ] || { echo "  $simulation wrote no summary; see $log" >&2; return 1; }
}
trips_metric() { curl -sf "$ops/metrics" | awk '/^ordergate_trips_total/ { s += $NF } END { printf "%d", s }'; }

if [ -n "$steady" ]; then
  before=$(trips_metric)
  echo "SteadyMix for ${duration} s at ${STEADY_RATE:-300} orders/s (swing ${SWING:-1}), watching for trips; log: $out/steady.log"
  gatling SteadyMix "$out/steady.json" "$out/steady.log" -Dduration="$duration" \
    -Drate="${STEADY_RATE:-300}" -Dswing="${SWING:-1}" || exit 1
  after=$(trips_metric)
  jq -r --arg m "$(( after - before ))" '
    "orders \(.legit_steady_count), failures \(.legitFailures), p50 \(.legit_steady_p50Ms) ms, p99 \(.legit_steady_p99Ms) ms",
    "trips seen by GET /ops/sources: \(.trips // "not watched") \(.trippedSources)",
    "ordergate_trips_total increase: \($m)",
    (if (.trips // 0) == 0 and ($m | tonumber) == 0 then "PASS  no false trip" else "MISS  false trip" end)
  ' "$out/steady.json"
  [ "$(jq -r '.trips // 0' "$out/steady.json")" = 0 ] && [ "$after" = "$before" ]
  exit $?
fi

if [ "${WARMUP:-30}" -gt 0 ]; then
  echo "Warm-up: SteadyMix ${WARMUP:-30} s at $rate orders/s, not measured (a demo that just started is slow)"
  gatling SteadyMix "$out/warmup.json" "$out/warmup.log" -Drate="$rate" -Dweights=1,1,1 -DreadEvery=0 \
    -Dduration="${WARMUP:-30}" -Dramp=5 -Dp99Ms=1000000 -DminSuccessPct=0 -DwatchTrips=false || true
fi
baseline=()
if [ "${BASELINE:-60}" -gt 0 ]; then
  echo "Baseline: SteadyMix ${BASELINE:-60} s, the runs' legitimate traffic ($rate orders/s, web/mobile/partner alike, no reads)"
  if gatling SteadyMix "$out/baseline.json" "$out/baseline.log" -Drate="$rate" -Dweights=1,1,1 \
    -DreadEvery=0 -Dduration="${BASELINE:-60}" -Dramp=5 -Dp99Ms=1000000 -DminSuccessPct=0 -DwatchTrips=false; then
    jq -r '"  p50 \(.legit_steady_p50Ms) ms, p99 \(.legit_steady_p99Ms) ms, \(.legit_steady_count) orders, \(.legitFailures) failed"' "$out/baseline.json"
    baseline=(-DbaselineP99Ms="$(jq -r '.legit_steady_p99Ms' "$out/baseline.json")")
  fi
fi

echo "FloodTrip x $runs: legit $rate/s, perftest to ${FLOOD_FACTOR:-10}x; logs and summaries in $out"
for i in $(seq 1 "$runs"); do
  [ "$i" -eq 1 ] || sleep "${PAUSE:-5}"
  if gatling FloodTrip "$out/run-$i.json" "$out/run-$i.log" -Drate="$rate" \
    -DfloodFactor="${FLOOD_FACTOR:-10}" -Dbefore="${BEFORE:-15}" -Dramp="${RAMP:-1}" \
    -Dflood="${FLOOD:-30}" -Dafter="${AFTER:-15}" -DwarmUp="${RUN_WARMUP:-5}" "${baseline[@]}"; then
    jq -r --arg i "$i" '"  run \($i): flood -> trip \(.floodToTripOpsMs // "-") ms (ops API), \(.floodToTripAnswerMs // "-") ms (first answer); perftest forwarded \(.rogueForwardedBeforeTrip // "-") (bound \(.rogueForwardedBound)), held \(.rogueHeld); legit failures \(.legitFailures), p99 warmup/before/during/after \(.legit_warmup_p99Ms // "-")/\(.legit_before_p99Ms)/\(.legit_during_p99Ms)/\(.legit_after_p99Ms) ms"' "$out/run-$i.json"
  fi
done

shopt -s nullglob
files=("$out"/run-*.json)
[ ${#files[@]} -gt 0 ] || { echo "no run produced a summary" >&2; exit 1; }
jq -s -r --arg base "$([ -s "$out/baseline.json" ] && jq -r '.legit_steady_p99Ms' "$out/baseline.json" || echo)" '
  def pct(p): sort | if length == 0 then null else .[((p / 100 * length) | ceil) - 1] end;
  def dist(f): [.[] | f | select(. != null)] as $v
    | "p50 \($v | pct(50) // "-")  p99 \($v | pct(99) // "-")  max \($v | max // "-")  (n=\($v | length))";
  def ratio: if .[1] == null or .[1] <= 0 or .[0] == null or .[0] < 0 then null
    else ((.[0] / .[1] * 100 | round) / 100) end;
  (if $base == "" then null else ($base | tonumber) end) as $b
  | [.[] | . + {vsBase: ([.legit_during_p99Ms, ($b // .legit_before_p99Ms)] | ratio)}] as $runs
  | ($runs | map(select(.tripped | not)) | length) as $untripped
  | ($runs | map(.floodToTripOpsMs // 1e12) | pct(99)) as $tripP99
  | ($runs | map(.tripTargetMs) | max) as $target
  | ($runs | map(select(.rogueForwardedBeforeTrip == null or .rogueForwardedBeforeTrip > .rogueForwardedBound)) | length) as $over
  | ($runs | map(.legitFailures) | add) as $failures
  | ($runs | map(.vsBase // 1e9) | max) as $worst
  | ($runs | map(.otherSourcesTripped) | map(select(. != "")) | length) as $falseTrips
  | "",
    "Over \($runs | length) runs (flood \($runs[0].floodRate)/s, bound \($runs[0].rogueForwardedBound) = 2 s x flood rate):",
    "  flood -> trip, ops API (ms):        \($runs | dist(.floodToTripOpsMs))",
    "  flood -> trip, first answer (ms):   \($runs | dist(.floodToTripAnswerMs))",
    "  perftest forwarded before trip:     \($runs | dist(.rogueForwardedBeforeTrip))",
    "  legit failures (sum):               \($failures)",
    "  legit p99 run warm-up (ms):         \($runs | dist(.legit_warmup_p99Ms))",
    "  legit p99 before (ms):              \($runs | dist(.legit_before_p99Ms))",
    "  legit p99 during (ms):              \($runs | dist(.legit_during_p99Ms))",
    "  legit p99 after (ms):               \($runs | dist(.legit_after_p99Ms))",
    "  legit p99 during / \(if $b == null then "before-flood p99" else "SteadyMix p99 (\($b) ms)" end): \($runs | dist(.vsBase))",
    "",
    (if $untripped == 0 and $tripP99 <= $target then "PASS" else "MISS" end)
      + "  flood -> trip p99 <= \($target) ms (\(if $untripped > 0 then "\($untripped) runs never tripped" else "p99 \($tripP99) ms" end))",
    (if $over == 0 then "PASS" else "MISS" end) + "  perftest forwarded before the trip <= bound (\($over) runs over or unmeasured)",
    (if $failures == 0 then "PASS" else "MISS" end) + "  0 legitimate failures (\($failures))",
    (if $worst <= 1.2 then "PASS" else "MISS" end) + "  legit p99 during the flood within 20 % of the baseline (worst \(if $worst >= 1e9 then "unmeasured" else "\($worst)x" end))",
    (if $falseTrips == 0 then "PASS" else "MISS" end) + "  no legitimate source tripped (\($falseTrips) runs with one)"
' "${files[@]}" | tee "$out/report.txt"
! grep -q '^MISS' "$out/report.txt"
