#!/usr/bin/env python3
"""Presses Ctrl-C at the REPL during each slow reading path and checks that the prompt comes back within 0.5 s
with "interrupted", and that the next command runs. The inputs are made here, large but within their budgets, so
each command would otherwise run for seconds: an SPSS file of 8 million cells (ReadStat's values), a REFI-QDA
project of 900,000 elements (the XML tree), a codebook of 150,000 codes of one name.
Usage: pty_interrupt.py BINARY FOLDER   (prints one line per path; exit 0 when every check holds)"""
import os, pty, select, subprocess, sys, time, zipfile

binary, folder = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)

syntax = ["INPUT PROGRAM.", "LOOP #i = 1 TO 1600000.", "COMPUTE a = MOD(#i, 3).", "COMPUTE b = MOD(#i, 5).",
          "COMPUTE c = MOD(#i, 7).", "COMPUTE d = 2.", "COMPUTE e = 3.", "END CASE.", "END LOOP.", "END FILE.",
          "END INPUT PROGRAM.", f"SAVE OUTFILE='{folder}/slow.zsav' /ZCOMPRESSED."]
open(f"{folder}/slow.sps", "w").write("\n".join(syntax) + "\n")
subprocess.run(["pspp", f"{folder}/slow.sps"], check=True, capture_output=True)
head = "<?xml version='1.0' encoding='utf-8'?>\n<Project xmlns='urn:QDA-XML:project:1.0' name='x'>"
with zipfile.ZipFile(f"{folder}/slow.qdpx", "w", zipfile.ZIP_STORED) as z:
    z.writestr("project.qde", head + "<a/>" * 900_000 + "</Project>\n")
codes = "".join(f"<Code guid='{k:08X}-0000-4000-8000-000000000000' name='same' isCodable='true'/>" for k in range(150_000))
open(f"{folder}/slow.qdc", "w").write("<?xml version='1.0' encoding='utf-8'?>\n<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>"
                                      + codes + "</Codes></CodeBook>\n")

def run(setup, slow):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TRUSTGAP_HISTORY"] = os.path.join(folder, "history")
        os.environ["TERM"] = "xterm"
        os.execv(binary, [binary])
    out = b""
    def read_until(token, limit, count=1):
        nonlocal out
        end = time.time() + limit
        while time.time() < end:
            if out.count(token) >= count: return True
            r, _, _ = select.select([fd], [], [], 0.01)
            if r:
                try: data = os.read(fd, 65536)
                except OSError: break
                if not data: break
                out += data
        return out.count(token) >= count
    read_until(b"trustgap> ", 10)
    prompts = 1
    for line in setup:
        os.write(fd, line.encode() + b"\r")
        prompts += 1
        read_until(b"trustgap> ", 60, prompts)
    os.write(fd, slow.encode() + b"\r")
    time.sleep(1.0)
    finished_early = out.count(b"trustgap> ") > prompts
    sent = time.time()
    os.write(fd, b"\x03")
    got = read_until(b"interrupted", 5)
    elapsed = time.time() - sent
    os.write(fd, b'chisq table "10,20;30,40"\r')
    ran = read_until(b"Pearson", 5)
    os.write(fd, b"quit\r")
    os.waitpid(pid, 0)
    return got, elapsed, ran, finished_early, out.decode("utf-8", "replace")

failures = []
paths = [
    ("SPSS values (ReadStat)", [], f"load survey {folder}/slow.zsav"),
    ("REFI-QDA XML tree", ["load survey data/ai4hi/responses.csv"], f"import project {folder}/slow.qdpx"),
    ("codebook of repeated names", [], f"codebook import {folder}/slow.qdc"),
]
for name, setup, slow in paths:
    got, elapsed, ran, early, out = run(setup, slow)
    print(f"{name}: interrupted={got} after {elapsed:.3f} s; next command ran={ran}; finished before Ctrl-C={early}")
    if early: failures.append(f"{name}: finished within 1 s, so Ctrl-C was not tested (make the input larger)")
    elif not got: failures.append(f"{name}: Ctrl-C did not stop it: {out[-400:]}")
    elif elapsed > 0.5: failures.append(f"{name}: Ctrl-C took {elapsed:.2f} s")
    if not ran: failures.append(f"{name}: the next command did not run")
if failures:
    print("FAILED:", "; ".join(failures)); sys.exit(1)
print("Ctrl-C checks passed")
