#!/usr/bin/env python3
"""Hostile-client battery: one `serve` replica with the shipped JVM settings, attacked on loopback.

    loadtest/battery.py [--help]

Starts the demo (PostgreSQL, Unleash, sources) for its database and flags, an order backend of its
own on :18070 (counts orders per source; answers with N bytes when asked to), and Order Gate
(`serve`) on :18080/:18090 with the Dockerfile's JVM options and -XX:MaxRAM=640m, so the heap is
60 % of the Kubernetes memory limit as in a pod. Then, each phase bounded in time and count, with
legitimate load (wrk, source web) running alongside and its p99 compared with a baseline:

  baseline      legitimate load alone
  bodies        BODIES connections declare ~1 MB bodies and send them partially (valid key)
  answers       ANSWERS concurrent POSTs whose answer is 120 MB
  slowloris     SLOWLORIS connections drip header lines
  kill          KILL_BODIES perftest POSTs start their bodies, perftest is killed, the bodies end
  bad-inputs    crafted requests: smuggling, overrides, bodies on reads, duplicated identity, ...
  unknown-keys  a flood of unknown keys (wrk)

At the end: the replica is the same process (no crash), its peak RSS against 640 MiB, each
phase's p99 against the baseline, the order backend's per-source counts against the gateway's
forwarded counts (nothing lost, no killed-source write), and every request counted.

Uses fixed ports (8080/8090/4242 for the demo): run it in a network namespace of its own,
    unshare -n bash -c 'ip link set lo up; loadtest/battery.py'
Needs Java 17+, target/order-gate.jar (SKIP_BUILD=1 to use it as it is), wrk, and Node for Unleash.
Settings (environment): DURATION (s per phase, 20), BODIES (700), ANSWERS (8), SLOWLORIS (19000),
KILL_BODIES (50), CONNECTIONS (wrk, 16), OUT (result directory), JAR (the jar to attack, as it
is; default target/order-gate.jar, built first unless SKIP_BUILD=1),
PHASES (comma-separated phases to run after the baseline, e.g. slowloris; default all),
WARMUP_S (60) and WARMUP_PASSES (at most 12): the legitimate load runs first in passes of 10 s, not
  counted, for at least WARMUP_S and then until three passes in a row agree within 10 % on req/s (a
  JVM that just started is several times slower, and a cold baseline flatters every ratio; two
  passes agreeing after 30 s was not enough: 5.7k req/s, then 14.5k in the next phase). The baseline
  is measured again after the attack phases (baseline-after); each phase's p99 is compared with the
  lower of the two baseline p99s, so a baseline still warming cannot flatter a ratio,
JVM_EXTRA (none): JVM options added after the image's (a later flag wins), for A/B runs of JVM
  settings, e.g. JVM_EXTRA=-XX:InitialRAMPercentage=40,
ATTACKER_NICE (0): niceness of the slowloris attacker process; 10 stands in for an attacker outside
  the gateway's cgroup, but on a saturated 2-core machine it also slows the attack down (see
  open_s and drip_round_ms in the report: 19,000 connections should open in a few seconds and
  each drip round take well under a second),
PROBE (1): during the baseline and each attack phase, one more legitimate POST every 10 ms on a
  connection of its own, its latency written to OUT/timeline-<phase>.csv (seconds since the phase
  began, ms) and summarised in the report: when the slow requests happen, not only how many,
The gateway writes a GC log (OUT/gc.log); each measured phase reports its GC pauses (gc).
PROFILE (0): 1 records the baseline and each attack phase with async-profiler (from the local Maven
  repository; itimer, every thread) into OUT/profile-<phase>.collapsed.
"""
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
    print(__doc__)
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DURATION = int(os.environ.get("DURATION", "20"))
BODIES = int(os.environ.get("BODIES", "700"))
ANSWERS = int(os.environ.get("ANSWERS", "8"))
SLOWLORIS = int(os.environ.get("SLOWLORIS", "19000"))
KILL_BODIES = int(os.environ.get("KILL_BODIES", "50"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
ALL_PHASES = ["bodies", "answers", "slowloris", "kill", "bad-inputs", "unknown-keys"]
PHASES = [p for p in os.environ.get("PHASES", ",".join(ALL_PHASES)).split(",") if p]
if set(PHASES) - set(ALL_PHASES):
    sys.exit("battery.py: PHASES takes %s, not %s" % (",".join(ALL_PHASES), ",".join(PHASES)))
WARMUP_S = int(os.environ.get("WARMUP_S", "60"))
WARMUP_PASSES = int(os.environ.get("WARMUP_PASSES", "12"))
ATTACKER_NICE = int(os.environ.get("ATTACKER_NICE", "0"))
PROFILE = os.environ.get("PROFILE", "0") == "1"
PROBE = os.environ.get("PROBE", "1") == "1"
STAMP = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
OUT = os.environ.get("OUT", os.path.join(ROOT, "loadtest", "target", "battery-" + STAMP))
BACKEND, GW, OPS = 18070, 18080, 18090
OPS_TOKEN = "order-gate-demo-ops-token"
ADMIN = "*:*.order-gate-demo-admin-token"
FLAG = "http://127.0.0.1:4242/api/admin/projects/default/features/order-source.perftest/environments/production"
LIMIT_MIB = 640
# The Dockerfile's JDK_JAVA_OPTIONS, with the pod's memory limit stated: heap = 60 % of 640 MiB
# (without its AppCDS archive, which only the image has).
JVM = ["-XX:MaxRAM=%dm" % LIMIT_MIB, "-XX:+UseParallelGC", "-XX:InitialRAMPercentage=10",
       "-XX:MaxRAMPercentage=60", "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=64m",
       "-Xss512k", "-XX:+PerfDisableSharedMem", "-XX:+ExitOnOutOfMemoryError",
       "-Dfile.encoding=UTF-8"] + os.environ.get("JVM_EXTRA", "").split()
ORDER = b'{"customer":"c-1","lines":[{"sku":"SKU-1","qty":1,"price":"1.00"}]}'



def log(*a):
    print("[battery]", *a, file=sys.stderr, flush=True)


# --- the order backend -------------------------------------------------------------------------
class Backend:
    """Counts POSTs per X-Order-Source; X-Battery-Answer-Bytes: N asks for an N-byte answer."""

    def __init__(self):
        self.by_source = {}
        self.lock = threading.Lock()

    async def serve(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                h = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        h[k.strip().lower()] = v.strip()
                n = int(h.get("content-length", "0"))
                if n:
                    await reader.readexactly(n)
                if method == "GET" and path == "/orders":
                    with self.lock:
                        body = json.dumps({"receivedBySource": self.by_source}).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                elif method == "POST":
                    src = h.get("x-order-source", "?")
                    with self.lock:
                        self.by_source[src] = self.by_source.get(src, 0) + 1
                        oid = sum(self.by_source.values())
                    size = int(h.get("x-battery-answer-bytes", "0"))
                    if size:
                        writer.write(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: %d\r\n\r\n" % size)
                        chunk = b"x" * 65536
                        sent = 0
                        while sent < size:
                            part = chunk[: min(len(chunk), size - sent)]
                            writer.write(part)
                            sent += len(part)
                            await writer.drain()
                    else:
                        body = b'{"id":"ord-%d"}' % oid
                        writer.write(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                     b"Location: /orders/ord-%d\r\nContent-Length: %d\r\n\r\n%s"
                                     % (oid, len(body), body))
                else:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                await writer.drain()
        except Exception:
            pass
        finally:
            writer.close()

    def start(self):
        loop = asyncio.new_event_loop()

        def run():
            asyncio.set_event_loop(loop)
            server = loop.run_until_complete(
                asyncio.start_server(self.serve, "127.0.0.1", BACKEND, backlog=1024))
            loop.run_until_complete(server.serve_forever())

        threading.Thread(target=run, daemon=True).start()


# --- helpers ---------------------------------------------------------------------------------
def http(url, method="GET", headers=None, data=None, timeout=10):
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:  # noqa: BLE001
        return None, str(e)


def metrics():
    _, body = http("http://127.0.0.1:%d/metrics" % OPS, timeout=20)
    return body or ""


def requests_by_decision(text):
    out = {}
    for m in re.finditer(r'ordergate_requests_total\{([^}]*)\} ([0-9.E+]+)', text):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        key = (labels.get("source"), labels.get("decision"))
        out[key] = out.get(key, 0) + float(m.group(2))
    return out


class RssWatch(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, False

    def run(self):
        while not self.stop:
            try:
                with open("/proc/%d/status" % self.pid) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.peak = max(self.peak, int(line.split()[1]) // 1024)
            except OSError:
                return
            time.sleep(0.1)


def wrk(key, seconds, conns=CONNECTIONS):
    env = dict(os.environ, KEY=key)
    out = subprocess.run(
        ["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--latency", "--timeout", "10s",
         "-s", os.path.join(ROOT, "loadtest", "wrk", "post-order.lua"),
         "http://127.0.0.1:%d/orders" % GW],
        env=env, capture_output=True, text=True).stdout

    def ms(label):
        m = re.search(r"\s%s\s+([0-9.]+)(us|ms|s)" % re.escape(label), out)
        if not m:
            return None
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v

    req = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(req.group(1)) if req else 0, "p50": ms("50%"), "p99": ms("99%"),
            "requests": int(total.group(1)) if total else 0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors.group(1) if errors else "none"}


class Probe(threading.Thread):
    """One legitimate POST every 10 ms on a kept-alive connection of its own, each latency kept with
    its time: a p99 says how many requests were slow, the timeline says when (an accept storm, a
    wave of header deadlines, a GC pause)."""

    def __init__(self, name):
        super().__init__(daemon=True)
        self.name_, self.samples, self.stop, self.t0 = name, [], False, time.monotonic()

    def run(self):
        import http.client
        body = ORDER
        hdrs = {"Authorization": "Bearer demo-web-key", "X-Upstream-Environment": "production",
                "Content-Type": "application/json"}
        conn = None
        while not self.stop:
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", GW, timeout=10)
                conn.request("POST", "/orders", body, hdrs)
                conn.getresponse().read()
                self.samples.append((started - self.t0, (time.monotonic() - started) * 1000))
            except Exception:  # noqa: BLE001
                conn = None
                self.samples.append((started - self.t0, -1.0))
            time.sleep(max(0.0, 0.01 - (time.monotonic() - started)))

    def finish(self):
        self.stop = True
        self.join(15)
        with open(os.path.join(OUT, "timeline-%s.csv" % self.name_), "w") as f:
            f.write("s,ms\n")
            f.writelines("%.3f,%.2f\n" % s for s in self.samples)
        ok = sorted(ms for _, ms in self.samples if ms >= 0)
        worst = {}  # the slowest request of each second of the phase
        for t, ms in self.samples:
            worst[int(t)] = max(worst.get(int(t), 0), round(ms))
        return {"requests": len(self.samples), "failed": len(self.samples) - len(ok),
                "p50_ms": round(ok[len(ok) // 2], 2) if ok else None,
                "p99_ms": round(ok[int(len(ok) * 0.99)], 2) if ok else None,
                "max_ms": round(ok[-1], 1) if ok else None,
                "over_50ms": sum(ms > 50 for ms in ok),
                "slowest_per_s": [worst[k] for k in sorted(worst)]}


def gc_pauses(since):
    """The gateway's GC pauses logged after byte offset `since` of OUT/gc.log: count, total, max,
    and how many were full collections; and the stop-the-world safepoints of any kind (`stw`:
    count, total, max), which compare collectors whose pauses are logged differently (G1's
    remark and cleanup, Shenandoah's init and final mark). Returns (summary, the new offset)."""
    try:
        with open(os.path.join(OUT, "gc.log")) as f:
            f.seek(since)
            text = f.read()
            end = f.tell()
    except OSError:
        return None, since
    # "[12.3s][info][gc      ] GC(7) Pause Young (Allocation Failure) 80M->20M(120M) 12.3ms",
    # "... GC(8) Pause Final Mark 0.6ms" (Shenandoah): the summary line of each pause, tag gc only
    pauses = [(kind, float(ms)) for kind, ms in re.findall(
        r"\[gc\s*\] GC\(\d+\) Pause (\S+).*? ([0-9.]+)ms$", text, re.M)]
    ms = [p for _, p in pauses]
    stw = [int(ns) / 1e6 for ns in re.findall(r"Safepoint .*Total: (\d+) ns", text)]
    return {"pauses": len(ms), "full": sum(k in ("Full", "Degenerated") for k, _ in pauses),
            "total_ms": round(sum(ms), 1), "max_ms": round(max(ms), 1) if ms else 0,
            "stw": {"count": len(stw), "total_ms": round(sum(stw), 1),
                    "max_ms": round(max(stw), 1) if stw else 0}}, end


def measured(name, run):
    """Runs run() with the probe alongside (PROBE=1); adds its summary and the GC pauses."""
    probe = Probe(name) if PROBE else None
    _, gc_from = gc_pauses(0)
    if probe:
        probe.start()
    result = run()
    if probe:
        result["probe"] = probe.finish()
    result["gc"], _ = gc_pauses(gc_from)
    return result


def with_load(attack, seconds=DURATION):
    """Runs the attack (a coroutine factory) while wrk sends legitimate load; returns both."""
    result = {}

    def load():
        time.sleep(1)  # the attack first
        result["load"] = wrk("demo-web-key", max(5, seconds - 2))

    t = threading.Thread(target=load)
    t.start()
    result["attack"] = asyncio.run(attack())
    t.join()
    return result


def head(key="demo-web-key", extra=""):
    return ("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
            "X-Upstream-Environment: production\r\nContent-Type: application/json\r\n%s" % (key, extra))


async def status_of(reader, timeout):
    try:
        line = await asyncio.wait_for(reader.readline(), timeout)
        parts = line.split()
        return int(parts[1]) if len(parts) > 1 else "closed"
    except asyncio.TimeoutError:
        return "no answer"
    except Exception:  # noqa: BLE001
        return "reset"


# --- attacks -----------------------------------------------------------------------------------
async def partial_bodies():
    """Declare ~1 MB, send 1 KiB, then stall: the gateway must not buffer them all."""
    async def one():
        try:
            r, w = await asyncio.open_connection("127.0.0.1", GW)
            w.write((head(extra="Content-Length: 1000000\r\n\r\n")).encode() + b"x" * 1024)
            await w.drain()
            s = await status_of(r, DURATION + 40)
            w.close()
            return s
        except OSError as e:
            return "connect: " + e.strerror if e.strerror else "connect"
    results = await asyncio.gather(*[one() for _ in range(BODIES)])
    return tally(results)


async def big_answers():
    async def one():
        r, w = await asyncio.open_connection("127.0.0.1", GW)
        w.write((head(extra="X-Battery-Answer-Bytes: 125829120\r\nContent-Length: %d\r\n\r\n"
                      % len(ORDER))).encode() + ORDER)
        await w.drain()
        s = await status_of(r, 60)
        w.close()
        return s
    return tally(await asyncio.gather(*[one() for _ in range(ANSWERS)]))


async def slowloris():
    """SLOWLORIS connections dripping a header line a second, from a process of their own.

    The attacker is a child process (this script with --slowloris-child, at ATTACKER_NICE): it
    must not share this process's interpreter lock with the order backend, which answers the
    legitimate load (a drip round over 19,000 asyncio streams held it for a large part of each
    second, and the backend's delay showed as the gateway's p99). open_s and drip_round_ms say
    whether the attack kept its pace."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, os.path.abspath(__file__), "--slowloris-child",
        stdout=asyncio.subprocess.PIPE, preexec_fn=lambda: os.nice(ATTACKER_NICE))
    out, _ = await proc.communicate()
    try:
        return json.loads(out.decode() or "{}")
    except ValueError:
        return {"error": out.decode()[-500:]}


def slowloris_child():
    """One plain loop over non-blocking sockets: no asyncio stream objects per connection, one
    send() per connection per round, nothing read until the end."""
    socks, refused, peak = [], 0, 0
    opening = time.monotonic()

    def connections_open():
        m = re.search(r"(?m)^ordergate_connections_open ([0-9.]+)", metrics())
        return int(float(m.group(1))) if m else 0

    for i in range(SLOWLORIS):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", GW))
            s.setblocking(False)
            s.send(b"POST /orders HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        except OSError:
            refused += 1
            s.close()
        if i % 500 == 0:
            time.sleep(0.01)
        if i % 2000 == 0:
            peak = max(peak, connections_open())
    opened = len(socks)
    open_s = time.monotonic() - opening
    live = list(socks)
    closed = 0
    rounds = []
    end = time.time() + DURATION
    while time.time() < end:
        if len(rounds) % 5 == 0:  # a scrape costs the gateway CPU too: not every second
            peak = max(peak, connections_open())
        started = time.monotonic()
        still = []
        for s in live:
            try:
                s.send(b"X-Drip: a\r\n")
                still.append(s)
            except BlockingIOError:
                still.append(s)  # send buffer full: the gateway is not reading; keep it
            except OSError:
                closed += 1  # reset or closed by the gateway
        live = still
        rounds.append((time.monotonic() - started) * 1000)
        time.sleep(max(0.0, 1 - (time.monotonic() - started)))
    for s in live:  # an answer (408) waiting, or end of stream: the gateway closed it
        try:
            if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) is not None:
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for s in socks:
        s.close()
    rounds.sort()
    print(json.dumps({
        "opened": opened, "connect_failed": refused, "closed_by_gateway": closed,
        "gateway_connections_peak": peak, "attacker_nice": os.nice(0),
        "open_s": round(open_s, 1), "drip_rounds": len(rounds),
        "attacker_cpu_s": round(sum(os.times()[:2]), 2),
        "drip_round_ms": {"median": round(rounds[len(rounds) // 2], 1) if rounds else None,
                          "max": round(rounds[-1], 1) if rounds else None}}))


async def kill_during_bodies():
    """Heads before the kill, bodies after it: none may be forwarded."""
    opened = []
    for _ in range(KILL_BODIES):
        r, w = await asyncio.open_connection("127.0.0.1", GW)
        w.write((head("demo-perftest-key", "Content-Length: %d\r\n\r\n" % len(ORDER))).encode()
                + ORDER[:10])
        await w.drain()
        opened.append((r, w))
    await asyncio.sleep(1)
    code, _ = http(FLAG + "/off", "POST", {"Authorization": ADMIN})
    deadline = time.time() + 30
    probes_accepted = 0  # probes answered before this replica saw the kill: rightly forwarded
    while time.time() < deadline:  # until this replica enforces it
        s, _ = http("http://127.0.0.1:%d/orders" % GW, "POST",
                    {"Authorization": "Bearer demo-perftest-key",
                     "X-Upstream-Environment": "production"}, b"{}")
        if s == 503:
            break
        probes_accepted += s == 201
        await asyncio.sleep(0.1)
    for r, w in opened:
        w.write(ORDER[10:])
    results = [await status_of(r, 30) for r, w in opened]
    for r, w in opened:
        w.close()
    http(FLAG + "/on", "POST", {"Authorization": ADMIN})
    return {"in_progress_bodies": tally(results), "kill_call": code,
            "probes_forwarded_before_kill_seen": probes_accepted}


BAD = {
    "cl+te smuggling": head(extra="Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n")
    + "2\r\n{}\r\n0\r\n\r\n" + "POST /orders HTTP/1.1\r\nHost: x\r\n\r\n",
    "override header": head(extra="X-HTTP-Method-Override: POST\r\nContent-Length: 2\r\n\r\n{}"),
    "override param": head(extra="Content-Length: 2\r\n\r\n{}").replace("/orders", "/orders?_method=PUT", 1),
    "GET with body": head(extra="Content-Length: 2\r\n\r\n{}").replace("POST", "GET", 1),
    "HEAD with body": head(extra="Content-Length: 2\r\n\r\n{}").replace("POST", "HEAD", 1),
    "OPTIONS chunked": head(extra="Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n").replace("POST", "OPTIONS", 1),
    "two Authorization": head(extra="Authorization: Bearer demo-perftest-key\r\nContent-Length: 2\r\n\r\n{}"),
    "Authorization + X-Api-Key": head(extra="X-Api-Key: demo-web-key\r\nContent-Length: 2\r\n\r\n{}"),
    "two environments": head(extra="X-Upstream-Environment: staging\r\nContent-Length: 2\r\n\r\n{}"),
    "two Idempotency-Keys": head(extra="Idempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: 2\r\n\r\n{}"),
    "HTTP/1.2": "GET /orders HTTP/1.2\r\nHost: x\r\n\r\n",
    "HTTP/3.0": "GET /orders HTTP/3.0\r\nHost: x\r\n\r\n",
    "h2 preface": "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "bad chunk size": head(extra="Transfer-Encoding: chunked\r\n\r\nzz\r\n"),
    "two hosts": head(extra="Host: other\r\nContent-Length: 2\r\n\r\n{}"),
    "dot segments": head(extra="Content-Length: 2\r\n\r\n{}").replace("/orders", "/orders/../admin", 1),
}


async def bad_inputs():
    out = {}
    for name, raw in BAD.items():
        r, w = await asyncio.open_connection("127.0.0.1", GW)
        w.write(raw.encode("latin-1"))
        await w.drain()
        out[name] = await status_of(r, 15)
        w.close()
    return out


def tally(results):
    out = {}
    for r in results:
        out[str(r)] = out.get(str(r), 0) + 1
    return out


# --- run -------------------------------------------------------------------------------------
def cpu_seconds(pid):
    """User + system CPU the process has used: less noisy than latency on a shared machine."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def received():
    return json.loads(http("http://127.0.0.1:%d/orders" % BACKEND)[1])["receivedBySource"]


def warm_up():
    """Legitimate load for at least WARMUP_S, then until three passes in a row agree within 10 %;
    not counted. Returns each pass's req/s."""
    rates = []
    started = time.monotonic()
    for i in range(max(1, WARMUP_PASSES)):
        rates.append(wrk("demo-web-key", 10)["rps"])
        log("warm-up pass %d: %.0f req/s" % (i + 1, rates[-1]))
        last = rates[-3:]
        if (time.monotonic() - started >= WARMUP_S and len(last) == 3 and min(last) > 0
                and max(last) <= 1.1 * min(last)):
            break
    return rates


class Profiler:
    """async-profiler (the jar the bench uses, from the local Maven repository) on the gateway."""

    def __init__(self, pid, work):
        self.pid, self.lib = pid, None
        jar = os.path.expanduser("~/.m2/repository/tools/profiler/async-profiler/4.0/"
                                 "async-profiler-4.0.jar")
        if os.path.exists(jar):
            subprocess.run(["jar", "xf", jar, "linux-x64/libasyncProfiler.so"], cwd=work)
            lib = os.path.join(work, "linux-x64", "libasyncProfiler.so")
            self.lib = lib if os.path.exists(lib) else None
        if not self.lib:
            log("PROFILE=1: no async-profiler 4.0 in the local Maven repository; not profiling")

    def command(self, what):
        # the options quoted, as jcmd passes them on as one argument (loadtest/profile.sh does so)
        out = subprocess.run(["jcmd", str(self.pid), "JVMTI.agent_load", self.lib, '"%s"' % what],
                             capture_output=True, text=True).stdout
        return "return code: 0" in out

    def start(self):
        if self.lib and not self.command("start,event=itimer,interval=1ms,threads"):
            log("async-profiler did not start")

    def stop(self, name):
        if self.lib:
            self.command("stop,collapsed,file=" + os.path.join(OUT, "profile-%s.collapsed" % name))


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="order-gate-battery.")
    procs = []
    jar = os.environ.get("JAR") or os.path.join(ROOT, "target", "order-gate.jar")
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        if not os.environ.get("JAR") and (os.environ.get("SKIP_BUILD") != "1"
                                          or not os.path.exists(jar)):
            log("building target/order-gate.jar")
            subprocess.run(["mvn", "-B", "-q", "-o", "package", "-DskipTests",
                            "-DskipLoadtestCompile=true"], cwd=ROOT, check=True)
        shutil.copy(jar, os.path.join(work, "order-gate.jar"))
        jar = os.path.join(work, "order-gate.jar")
        Backend().start()
        log("starting the demo for PostgreSQL, Unleash and the sources")
        demo_log = open(os.path.join(work, "demo.log"), "w")
        procs.append(subprocess.Popen(
            ["java", "-jar", jar, "demo", "--backend-url", "http://127.0.0.1:%d" % BACKEND,
             "--data-dir", os.path.join(work, "demo")], cwd=ROOT, stdout=demo_log,
            stderr=subprocess.STDOUT))
        deadline = time.time() + 300
        while "Order Gate demo is running" not in open(os.path.join(work, "demo.log")).read():
            if time.time() > deadline or procs[-1].poll() is not None:
                raise SystemExit("the demo did not start; see " + work + "/demo.log")
            time.sleep(0.5)
        text = open(os.path.join(work, "demo.log")).read()
        db = re.search(r"ORDERGATE_DATABASE_URL=(\S+)", text).group(1)
        # The demo seeds auto-trip rates (2,000 writes/s for web): the legitimate load would trip
        # web into quarantine within seconds, and every phase would measure holds, not forwards.
        for source in ("web", "perftest"):
            subprocess.run(["java", "-jar", jar, "sources", "set", source, "--trip-rate", "off",
                            "--trip-baseline", "off"], cwd=ROOT, check=True,
                           env=dict(os.environ, ORDERGATE_DATABASE_URL=db),
                           stdout=demo_log, stderr=subprocess.STDOUT)
        env = dict(os.environ, ORDERGATE_ENVIRONMENT="production",
                   ORDERGATE_BACKEND_URL="http://127.0.0.1:%d" % BACKEND,
                   ORDERGATE_OPS_TOKEN=OPS_TOKEN, ORDERGATE_DATABASE_URL=db,
                   ORDERGATE_BIND_HOST="127.0.0.1", ORDERGATE_HTTP_PORT=str(GW),
                   ORDERGATE_OPS_PORT=str(OPS), ORDERGATE_INSTANCE_ID="battery",
                   UNLEASH_URL="http://127.0.0.1:4242/api",
                   UNLEASH_API_TOKEN="default:production.order-gate-demo-client-token",
                   UNLEASH_BACKUP_FILE=os.path.join(work, "backup.json"),
                   # its own: the default spool in /tmp is locked by any other replica running
                   ORDERGATE_AUDIT_SPOOL_DIR=os.path.join(work, "audit-spool"))
        env.pop("JDK_JAVA_OPTIONS", None)
        log("starting Order Gate:", " ".join(JVM))
        gw_log = open(os.path.join(work, "gateway.log"), "w")
        # the GC log costs nothing measurable and tells a GC pause from an event-loop stall
        gc_log = "-Xlog:gc*,safepoint:file=%s:uptime,level,tags" % os.path.join(OUT, "gc.log")
        gateway = subprocess.Popen(["java", *JVM, gc_log, "-jar", jar, "serve"], env=env, cwd=ROOT,
                                   stdout=gw_log, stderr=subprocess.STDOUT)
        procs.append(gateway)
        deadline = time.time() + 120
        while http("http://127.0.0.1:%d/ready" % OPS)[0] != 200:
            if time.time() > deadline or gateway.poll() is not None:
                raise SystemExit("the gateway did not become ready; see gateway.log")
            time.sleep(0.2)
        rss = RssWatch(gateway.pid)
        rss.start()
        report = {"machine": "%d cores, %s" % (os.cpu_count(), os.uname().release),
                  "date": STAMP, "jvm": " ".join(JVM), "phases": {}}
        report["warmup_rps"] = warm_up()
        phases = report["phases"]
        profiler = Profiler(gateway.pid, work) if PROFILE else None
        log("baseline")
        if profiler:
            profiler.start()
        # as long as the load of an attack phase (with_load), so that the p99s compare
        cpu = cpu_seconds(gateway.pid)
        phases["baseline"] = measured(
            "baseline", lambda: {"load": wrk("demo-web-key", max(5, DURATION - 2))})
        phases["baseline"]["gateway_cpu_s"] = round(cpu_seconds(gateway.pid) - cpu, 2)
        if profiler:
            profiler.stop("baseline")
        for name, attack in [("bodies", partial_bodies), ("answers", big_answers),
                             ("slowloris", slowloris)]:
            if name not in PHASES:
                continue
            log(name)
            if profiler:
                profiler.start()
            cpu = cpu_seconds(gateway.pid)
            phases[name] = measured(name, lambda: with_load(attack))
            phases[name]["gateway_cpu_s"] = round(cpu_seconds(gateway.pid) - cpu, 2)
            if profiler:
                profiler.stop(name)
            phases[name]["alive"] = gateway.poll() is None
            phases[name]["ready"] = http("http://127.0.0.1:%d/ready" % OPS)[0]
            time.sleep(2)
        # The baseline again, after the attacks: if it is faster than the first, the first was
        # taken while the JVM was still warming, and the ratios below use the lower p99.
        log("baseline after the attacks")
        phases["baseline-after"] = measured(
            "baseline-after", lambda: {"load": wrk("demo-web-key", max(5, DURATION - 2))})
        if "kill" in PHASES:
            log("kill during bodies")
            before = received()
            phases["kill"] = {"attack": asyncio.run(kill_during_bodies())}
            after = received()
            phases["kill"]["perftest_forwarded_after_kill"] = (
                after.get("perftest", 0) - before.get("perftest", 0)
                - phases["kill"]["attack"]["probes_forwarded_before_kill_seen"])
        if "bad-inputs" in PHASES:
            log("bad inputs")
            before = received()
            phases["bad-inputs"] = {"answers": asyncio.run(bad_inputs())}
            after = received()
            phases["bad-inputs"]["orders_reaching_backend"] = (
                sum(after.values()) - sum(before.values()))
        if "unknown-keys" in PHASES:
            log("unknown keys")
            phases["unknown-keys"] = {"load": wrk("not-a-key-at-all", DURATION, conns=64)}
        time.sleep(3)
        counts = requests_by_decision(metrics())
        backend = json.loads(http("http://127.0.0.1:%d/orders" % BACKEND)[1])["receivedBySource"]
        forwarded = {s: int(v) for (s, d), v in counts.items() if d == "forwarded"}
        report["gateway_alive"] = gateway.poll() is None
        report["peak_rss_mib"] = rss.peak
        report["limit_mib"] = LIMIT_MIB
        report["backend_received"] = backend
        report["gateway_forwarded"] = forwarded
        report["requests_counted"] = int(sum(counts.values()))
        # Every order the backend received is a forwarded request, or one whose answer was too
        # large (it reached the backend, the client got 502): nothing else may reach it.
        maybe_sent = {s: int(v) for (s, d), v in counts.items() if d == "response-too-large"}
        report["orders_unaccounted"] = {
            s: backend.get(s, 0) - forwarded.get(s, 0) - maybe_sent.get(s, 0)
            for s in set(backend) | set(forwarded)}
        report["decisions"] = {"%s/%s" % k: int(v) for k, v in sorted(counts.items(), key=str)}
        # The legitimate load must have been forwarded: a hold (202) would pass as a 2xx in wrk.
        report["legitimate_held"] = int(counts.get(("web", "quarantined"), 0))
        base = min([p for p in (phases["baseline"]["load"]["p99"],
                                phases["baseline-after"]["load"]["p99"]) if p], default=0)
        report["baseline_p99_ms"] = base
        for name in [p for p in ("bodies", "answers", "slowloris") if p in phases]:
            p99 = (phases[name].get("load") or {}).get("p99")
            phases[name]["p99_vs_baseline"] = round(p99 / base, 2) if p99 and base else None
            # the gateway's CPU beyond what its legitimate requests cost at the baseline's rate
            b = phases["baseline"]
            per_request = b["gateway_cpu_s"] / b["load"]["requests"] if b["load"]["requests"] else 0
            phases[name]["gateway_cpu_s_beyond_legit"] = round(
                phases[name]["gateway_cpu_s"]
                - per_request * ((phases[name].get("load") or {}).get("requests") or 0), 2)
        with open(os.path.join(OUT, "report.json"), "w") as f:
            json.dump(report, f, indent=2)
        print(json.dumps(report, indent=2))
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        for name in ("demo.log", "gateway.log"):
            if os.path.exists(os.path.join(work, name)):
                shutil.copy(os.path.join(work, name), OUT)
        shutil.rmtree(work, ignore_errors=True)
        log("results: " + OUT)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--slowloris-child":
        slowloris_child()
    else:
        main()
