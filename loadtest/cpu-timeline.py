#!/usr/bin/env python3
"""CPU per process group every INTERVAL ms, as CSV on stdout, until killed (SIGTERM/SIGINT).

  loadtest/cpu-timeline.py [interval-ms] > cpu.csv

Columns: epoch_ms, then CPU milliseconds used during the interval by
  gw_loop, gw_gc, gw_jit, gw_other   the gateway JVM (java ... order-gate.jar, or any -jar ... demo
                                      [--data-dir D]),
                                      by thread name:
                                      vert.x event loops, GC threads, JIT compilers, the rest
  gatling, mvn                        the load generator's JVM (io.gatling) and Maven around it
  postgres, node                      PostgreSQL's processes, Node (the Unleash server)
  machine                             every CPU of the machine (/proc/stat), so
  other = machine - the groups above  (other engineers' builds on a shared machine).
At most interval x cores in each column. Only processes whose working directory is under ROOT
(env, default: the repository this script is in) count, so another engineer's demo or Gatling on
the same machine lands in `other`. Processes that start and end between two samples are missed
(only in `machine`). A demo's PostgreSQL whose --data-dir lies outside ROOT (its working
directory) lands in `other` too. Reads /proc only, so it runs inside `unshare -n` as outside.
"""
import os, signal, sys, time

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
COLS = ["gw_loop", "gw_gc", "gw_jit", "gw_other", "gatling", "mvn", "postgres", "node"]


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def ticks(stat):
    # fields after the ")" of comm: state is index 0, utime 11, stime 12
    rest = stat[stat.rfind(b")") + 2:].split()
    return int(rest[11]) + int(rest[12])


def thread_group(name):
    if name.startswith(b"vert.x-eventloo"):
        return "gw_loop"
    if name.startswith((b"GC Thread", b"G1 ", b"VM Thread", b"ParGC", b"GC ")):
        return "gw_gc"
    if name.startswith((b"C1 Compiler", b"C2 Compiler")):
        return "gw_jit"
    return "gw_other"


ROOT = os.environ.get("ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ours(pid):
    try:
        return os.readlink(f"/proc/{pid}/cwd").startswith(ROOT)
    except OSError:
        return False


def sample():
    """{(group, id): ticks} for every process or gateway thread now."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        cmd = read(f"/proc/{pid}/cmdline")
        stat = read(f"/proc/{pid}/stat")
        if not cmd or not stat or not ours(pid):
            continue
        if b"order-gate.jar" in cmd or (b"-jar\0" in cmd and b"\0demo\0" in cmd):
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                continue
            for tid in tids:
                ts = read(f"/proc/{pid}/task/{tid}/stat")
                name = read(f"/proc/{pid}/task/{tid}/comm")
                if ts and name:
                    out[(thread_group(name.strip()), tid)] = ticks(ts)
            continue
        if b"io.gatling" in cmd or b"gatling" in cmd and b"java" in cmd and b"plexus-classworlds" not in cmd:
            group = "gatling"
        elif b"plexus-classworlds" in cmd:
            group = "mvn"
        elif stat.split(b"(", 1)[1].startswith(b"postgres)"):
            group = "postgres"
        elif b"node" in cmd.split(b"\0", 1)[0]:
            group = "node"
        else:
            continue
        out[(group, pid)] = ticks(stat)
    return out


def machine():
    cpu = read("/proc/stat").split(b"\n", 1)[0].split()[1:]
    v = [int(x) for x in cpu]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]  # user nice system irq softirq steal


def main():
    interval = (int(sys.argv[1]) if len(sys.argv) > 1 else 250) / 1000.0
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    print("epoch_ms," + ",".join(COLS) + ",machine,other", flush=True)
    prev, prev_m = sample(), machine()
    nxt = time.time() + interval
    while not stop:
        time.sleep(max(0, nxt - time.time()))
        nxt += interval
        now, now_m = sample(), machine()
        used = dict.fromkeys(COLS, 0)
        for key, t in now.items():
            used[key[0]] += t - prev.get(key, t)  # new since last sample: not counted
        total = (now_m - prev_m) * TICK_MS
        row = [round(used[c] * TICK_MS) for c in COLS]
        print(f"{int(time.time() * 1000)}," + ",".join(map(str, row))
              + f",{round(total)},{round(total - sum(row))}", flush=True)
        prev, prev_m = now, now_m


main()
