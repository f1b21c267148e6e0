#!/usr/bin/env python3
"""Package graph of target/classes (jdeps) and its cycles. Usage: scripts/package-cycles.py [classes dir]"""
import re, subprocess, sys
classes = sys.argv[1] if len(sys.argv) > 1 else "target/classes"
out = subprocess.run(["jdeps", "-verbose:package", "-filter:none", classes],
                     capture_output=True, text=True, check=True).stdout
edges = {}
for line in out.splitlines():
    m = re.match(r"\s+(io\.ordergate\S*)\s+->\s+(io\.ordergate\S*)", line)
    if m and m.group(1) != m.group(2):
        edges.setdefault(m.group(1), set()).add(m.group(2))
nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})
# Tarjan's strongly connected components: every component with more than one package is a cycle.
index, low, stack, on, comps, i = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        comps.append(sorted(comp))
sys.setrecursionlimit(10000)
for n in nodes:
    if n not in index: visit(n)
short = lambda p: p[len("io.ordergate."):] if p.startswith("io.ordergate.") else "(root)"
print(f"{len(nodes)} packages, {sum(len(v) for v in edges.values())} dependencies")
for n in nodes:
    print(f"  {short(n):12} -> {', '.join(short(t) for t in sorted(edges.get(n, ())))}")
cycles = [c for c in comps if len(c) > 1]
if not cycles:
    print("no cycles"); sys.exit(0)
for c in cycles:
    print("CYCLE among: " + ", ".join(short(p) for p in c))
sys.exit(1)
