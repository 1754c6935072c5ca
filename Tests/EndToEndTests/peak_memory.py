#!/usr/bin/env python3
"""Runs a command and prints its exit status, peak resident memory (KB) and wall time, then its output.
Usage: peak_memory.py CMD [ARG ...]"""
import resource, subprocess, sys, time

start = time.time()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.time() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"status={p.returncode} peak_kb={peak} wall_s={wall:.3f}")
sys.stdout.write(p.stdout)
sys.stderr.write(p.stderr)
