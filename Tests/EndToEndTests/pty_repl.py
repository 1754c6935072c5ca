#!/usr/bin/env python3
"""Drives the trustgap REPL under a pseudo-terminal, as a person at a keyboard would.
Checks: the prompt, Tab completion of a command name, a question id and an answer code, Ctrl-C abandoning a line,
history kept across sessions in $TRUSTGAP_HISTORY, Ctrl-D leaving with status 0, and Ctrl-C stopping a long exact
test within 0.5 s, after which the next command runs.
Usage: pty_repl.py BINARY HISTORY_FILE   (exit 0 when every check holds)"""
import os, pty, re, select, sys, time

binary, history = sys.argv[1], sys.argv[2]

def spawn():
    """The REPL in a child process on a new pseudo-terminal; returns (pid, terminal fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TRUSTGAP_HISTORY"] = history
        os.environ["TERM"] = "xterm"
        os.execv(binary, [binary])
    return pid, fd

def session(keys):
    """Types each key and waits for what it brings: a line ended with Enter until the next prompt (or the end), any
    other key until the terminal has been quiet for 0.2 s. A float waits that long. Waiting on what the REPL prints,
    not on fixed sleeps, keeps the test fast on a quick machine and correct on a slow one."""
    pid, fd = spawn()
    out = b""
    def read(until=None, quiet=0.2, limit=10.0):
        nonlocal out
        end, last = time.time() + limit, time.time()
        while time.time() < end:
            if until is not None and until():
                return
            if until is None and time.time() - last >= quiet:
                return
            r, _, _ = select.select([fd], [], [], 0.02)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                out += data
                last = time.time()
    prompts = lambda: out.count(b"trustgap> ")
    read(until=lambda: prompts() >= 1)
    for k in keys:
        if isinstance(k, float):
            read(quiet=k, limit=k)
            continue
        before = prompts()
        os.write(fd, k)
        if k.endswith(b"\r"):
            read(until=lambda: prompts() > before)
        else:
            read(limit=1.0)
    _, status = os.waitpid(pid, 0)
    return out.decode("utf-8", "replace"), status

failures = []
out, status = session([b"load survey data/ai4hi/responses.csv\r", b"crossta\t", b" Q1\t", b"\r",
                       b"show Q7 balance_p\t", b"\r", b"some unfinished line\x03", b"\x04"])
if "trustgap> " not in out: failures.append("no prompt")
if not re.search(r"crosstab\s+Q1", out): failures.append("command name not completed")
if "balance_performance" not in out: failures.append("answer code not completed")
if "Q10" not in out and "Q1: What is your age?" not in out: failures.append("crosstab did not run")
if os.WEXITSTATUS(status) != 0: failures.append(f"exit status {status}")
saved = open(history).read() if os.path.exists(history) else ""
if "load survey data/ai4hi/responses.csv" not in saved: failures.append("history not written")
if "some unfinished line" in saved: failures.append("Ctrl-C line was kept")
# A new session recalls the previous one's commands with the up arrow.
out2, status2 = session([b"\x1b[A", b"\r", b"quit\r"])
if "crosstab" not in out2 and "show Q7" not in out2: failures.append("history not recalled in a new session")
if os.WEXITSTATUS(status2) != 0: failures.append(f"second exit status {status2}")
# A column name with spaces is completed quoted, so the completed command runs; after an opened quote, readline
# closes it.
import tempfile
folder = tempfile.mkdtemp()
with open(os.path.join(folder, "spaces.csv"), "w") as f:
    f.write("id,Your role,How old are you\n" + "".join(f"R{k},{'clinician' if k % 2 else 'engineer'},{30 + k}\n" for k in range(12)))
out3, status3 = session([f"load survey {folder}/spaces.csv --questionnaire none\r".encode(), b"show How\t", b"\r",
                         b'show "How o\t', b"\r", b"quit\r"])
if out3.count('How old are you: How old are you') < 2: failures.append("a name with spaces was not completed quoted")
if "error:" in out3: failures.append("a completed name with spaces did not run: " + out3[-300:])
# Ctrl-C during a long computation (an exact test that would run for up to its 60 s budget) stops it: the error
# comes back within 0.5 s, and the next command runs in the same session.
def interrupt_session():
    pid, fd = spawn()
    out = b""
    def read_until(token, limit):
        nonlocal out
        end = time.time() + limit
        while time.time() < end:
            if token in out: return True
            r, _, _ = select.select([fd], [], [], 0.02)
            if r:
                try: data = os.read(fd, 65536)
                except OSError: return token in out
                if not data: return token in out
                out += data
        return token in out
    read_until(b"trustgap> ", 5)
    os.write(fd, b'chisq table "300,200,100;100,220,300;50,60,70" --exact\r')
    time.sleep(1.5)
    sent = time.time()
    os.write(fd, b"\x03")
    got = read_until(b"interrupted", 5)
    elapsed = time.time() - sent
    os.write(fd, b'chisq table "10,20;30,40"\r')
    ran = read_until(b"Pearson", 5)
    os.write(fd, b"quit\r")
    _, status = os.waitpid(pid, 0)
    return out.decode("utf-8", "replace"), got, elapsed, ran, status
out3, got, elapsed, ran, status3 = interrupt_session()
if not got: failures.append("Ctrl-C did not stop the exact test")
elif elapsed > 0.5: failures.append(f"Ctrl-C took {elapsed:.2f} s to stop the exact test")
if not ran: failures.append("the command after Ctrl-C did not run")
if os.WEXITSTATUS(status3) != 0: failures.append(f"third exit status {status3}")
if failures:
    print("FAILED:", "; ".join(failures)); print(out); print(out2); print(out3); sys.exit(1)
print("pty REPL checks passed")
