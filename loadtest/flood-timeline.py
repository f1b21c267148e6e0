#!/usr/bin/env python3
"""One FloodTrip run as a timeline: legitimate latency per interval next to the CPU of each part.

  loadtest/flood-timeline.py OUT/run-N-timeline.csv [OUT/cpu.csv] [gateway-gc.log]

The first file is what FloodTrip writes with -DtimelineFile (loadtest/flood-trip.sh: one per run);
cpu.csv is loadtest/cpu-timeline.py's (flood-trip.sh samples it unless CPU_TIMELINE=0); the GC log
is the gateway's -Xlog:gc,safepoint:file=PATH:timemillis. Prints per interval (t = ms from the
flood's first order): legitimate count, p50, p99, max and failures, flood requests sent and their
p50, the CPU ms each part used in the interval (2 cores: at most 2 x the interval), and the
gateway's safepoint pauses (total ms) in it. Then the same, summed over the phases: before the
flood, the ramp and trip (first 2 s), the held flood, after; and the CPU per flood request during the
held flood (gateway, PostgreSQL, Gatling), which contention on a shared machine distorts less than
latency.
"""
import bisect, csv, re, sys


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def pauses(path):
    """[(epoch_ms, pause_ms)] from a safepoint log with the timemillis decorator."""
    out = []
    if not path:
        return out
    pat = re.compile(r"^\[(\d+)ms\].*Safepoint .*Total: (\d+) ns")
    with open(path, errors="replace") as f:
        for line in f:
            m = pat.search(line)
            if m:
                out.append((int(m.group(1)), int(m.group(2)) / 1e6))
    return out


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 else 2)
    tl = rows(sys.argv[1])
    cpu = rows(sys.argv[2]) if len(sys.argv) > 2 else []
    sp = pauses(sys.argv[3] if len(sys.argv) > 3 else None)
    cpu_t = [int(r["epoch_ms"]) for r in cpu]
    cols = [c for c in (cpu[0].keys() if cpu else []) if c != "epoch_ms"]
    ts = [int(r["t_ms"]) for r in tl]
    step = min((b - a for a, b in zip(ts, ts[1:])), default=250)
    head = f"{'t_ms':>7} {'n':>4} {'p50':>4} {'p99':>5} {'max':>5} {'fail':>4} {'flood':>5} {'f_p50':>5}"
    print(head + "".join(f" {c[:8]:>8}" for c in cols) + f" {'sp_ms':>6}")
    phases = {}  # name -> [latencies..., cpu sums, pause sum, intervals]
    last_flood = max((int(r["t_ms"]) for r in tl if int(r["flood_sent"]) > 0), default=0)
    for r in tl:
        start = int(r["epoch_ms"])
        end = start + step
        # CPU samples are "used during the interval ending at epoch_ms"
        used = dict.fromkeys(cols, 0)
        i = bisect.bisect_right(cpu_t, start)
        while i < len(cpu) and cpu_t[i] <= end:
            for c in cols:
                used[c] += int(cpu[i][c])
            i += 1
        sp_ms = sum(ms for t, ms in sp if start <= t < end)
        t = int(r["t_ms"])
        name = ("before" if t < 0 else "ramp+trip (0-2 s)" if t < 2000
                else "held flood" if t <= last_flood else "after")
        ph = phases.setdefault(name, {"n": 0, "fail": 0, "cpu": dict.fromkeys(cols, 0), "sp": 0, "k": 0,
                                      "p99s": []})
        ph["n"] += int(r["legit_count"])
        ph["flood"] = ph.get("flood", 0) + int(r["flood_sent"])
        ph["fail"] += int(r["legit_failures"])
        ph["sp"] += sp_ms
        ph["k"] += 1
        ph["p99s"].append(int(r["legit_p99_ms"]))
        for c in cols:
            ph["cpu"][c] += used[c]
        print(f"{r['t_ms']:>7} {r['legit_count']:>4} {r['legit_p50_ms']:>4} {r['legit_p99_ms']:>5}"
              f" {r['legit_max_ms']:>5} {r['legit_failures']:>4} {r['flood_sent']:>5} {r['flood_p50_ms']:>5}"
              + "".join(f" {used[c]:>8}" for c in cols) + f" {sp_ms:>6.1f}")
    print(f"\nPer phase: legitimate orders, failures, the median and max of the {step} ms intervals' p99,"
          f" CPU in % of one core (averaged), safepoint pauses per second")
    print(f"{'phase':<18} {'n':>6} {'fail':>4} {'p99med':>6} {'p99max':>6}" + "".join(f" {c[:8]:>8}" for c in cols)
          + f" {'sp_ms/s':>7}")
    for name in ("before", "ramp+trip (0-2 s)", "held flood", "after"):
        ph = phases.get(name)
        if not ph:
            continue
        secs = ph["k"] * step / 1000
        p99s = sorted(ph["p99s"])
        print(f"{name:<18} {ph['n']:>6} {ph['fail']:>4} {p99s[len(p99s) // 2]:>6} {p99s[-1]:>6}"
              + "".join(f" {ph['cpu'][c] / secs / 10:>7.0f}%" for c in cols) + f" {ph['sp'] / secs:>7.1f}")
    held = phases.get("held flood")
    if held and held.get("flood") and cols:
        gw = sum(v for c, v in held["cpu"].items() if c.startswith("gw_"))
        per = lambda ms: ms * 1000 / held["flood"]
        print(f"\nHeld flood: {held['flood']} flood requests; CPU per flood request: gateway {per(gw):.0f} µs"
              f" (event loops {per(held['cpu'].get('gw_loop', 0)):.0f}), PostgreSQL {per(held['cpu'].get('postgres', 0)):.0f} µs,"
              f" Gatling {per(held['cpu'].get('gatling', 0)):.0f} µs (legitimate orders' share included)")


main()
