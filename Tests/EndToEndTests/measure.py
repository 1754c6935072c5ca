#!/usr/bin/env python3
"""Runs a command with a time limit and prints its exit status, peak resident memory (KB), wall time and CPU time
(user and system) on the first line, then its output and errors. A run past the limit is killed and reported as
status=timeout. CPU time is what a budget is judged by: on a machine shared by several builds the wall time of the
same run varies threefold.
Usage: measure.py SECONDS CMD [ARG ...]"""
import resource, subprocess, sys, time

limit = float(sys.argv[1])
start = time.time()
try:
    p = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=limit, errors="replace")
    status, out, err = str(p.returncode), p.stdout, p.stderr
except subprocess.TimeoutExpired as e:
    status = "timeout"
    out = (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    err = (e.stderr or b"").decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
wall = time.time() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"status={status} peak_kb={usage.ru_maxrss} wall_s={wall:.3f} cpu_s={usage.ru_utime + usage.ru_stime:.3f}")
sys.stdout.write(out)
sys.stdout.write(err)
