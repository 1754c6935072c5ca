"""The kernel: an ipykernel `Kernel` that keeps one `trustgap notebook kernel` process per notebook.

Each cell's lines are sent to that process one at a time ({"run": LINE}); its answer carries the command's Jupyter
outputs (tables as HTML and text, figures as SVG), which are shown as they come. The first failing line stops the
cell with a Jupyter error named by trustgap's error code. Tab asks the same process ({"complete": TEXT}), so it
offers what the REPL offers. An interrupt stops the running command (SIGINT, as Ctrl-C at the prompt) and keeps the
session."""

import json
import os
import shutil
import signal
import subprocess

from ipykernel.kernelbase import Kernel

from . import __version__


def trustgap_program():
    """$TRUSTGAP, else `trustgap` on the PATH, else this repository's release or debug build."""
    named = os.environ.get("TRUSTGAP")
    if named:
        return named
    found = shutil.which("trustgap")
    if found:
        return found
    repository = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for build in ("release", "debug"):
        candidate = os.path.join(repository, ".build", build, "trustgap")
        if os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("trustgap was not found: set TRUSTGAP to the program, put it on the PATH, "
                            "or build it in this repository (swift build -c release)")


class TrustgapKernel(Kernel):
    implementation = "trustgap"
    implementation_version = __version__
    language = "trustgap"
    language_version = "1"
    language_info = {"name": "trustgap", "mimetype": "text/x-trustgap", "file_extension": ".tg"}
    banner = "trustgap: AI-validation surveys, thematic coding and validation records (type help)"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._process = None

    # The trustgap process -------------------------------------------------------------------------------------

    def _session(self):
        if self._process is None or self._process.poll() is not None:
            # Folders the user allows besides the notebook's own, as `notebook render --allow-paths` does.
            allowed = [p for p in os.environ.get("TRUSTGAP_ALLOW_PATHS", "").split(os.pathsep) if p]
            command = [trustgap_program(), "notebook", "kernel"] + [f"--allow-paths={p}" for p in allowed]
            # Started in the kernel's folder, which Jupyter makes the notebook's: paths resolve against it. SIGINT
            # is restored to its default for the child; trustgap installs its own handler.
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             cwd=os.getcwd(), text=True, encoding="utf-8", bufsize=1,
                                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        return self._process

    def _ask(self, request):
        """Sends one request and returns its answer; an interrupt while waiting is passed on to trustgap, whose
        answer (the command stopped) is then read."""
        process = self._session()
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        while True:
            try:
                line = process.stdout.readline()
                break
            except KeyboardInterrupt:
                process.send_signal(signal.SIGINT)
        if not line:
            status = process.wait()
            self._process = None
            raise RuntimeError(f"trustgap stopped (exit status {status}); the next cell starts a new session")
        return json.loads(line)

    # Jupyter's requests ---------------------------------------------------------------------------------------

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kwargs):
        for line in code.splitlines():
            if not line.strip() or line.strip().startswith("#"):
                continue
            try:
                answer = self._ask({"run": line})
            except KeyboardInterrupt:
                # Between two commands: the rest of the cell is not run.
                return self._error("console.interrupted", "interrupted; the rest of the cell was not run",
                                   ["error: interrupted; the rest of the cell was not run"], silent)
            except (RuntimeError, FileNotFoundError, OSError) as failure:
                return self._error("trustgap.stopped", str(failure), [f"error: {failure}"], silent)
            for output in answer.get("outputs", []):
                if output.get("output_type") == "display_data" and not silent:
                    self.send_response(self.iopub_socket, "display_data",
                                       {"data": output["data"], "metadata": output.get("metadata", {})})
            if "error" in answer:
                error = next((o for o in answer.get("outputs", []) if o.get("output_type") == "error"), None)
                code_name = answer["error"].get("code", "trustgap.error")
                message = answer["error"].get("message", "")
                traceback = error["traceback"] if error else [f"error: {message}"]
                return self._error(code_name, message, traceback, silent)
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def _error(self, name, message, traceback, silent):
        content = {"ename": name, "evalue": message, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}

    def do_complete(self, code, cursor_pos):
        # Only the line the cursor is on is a command.
        line_start = code.rfind("\n", 0, cursor_pos) + 1
        try:
            answer = self._ask({"complete": code[line_start:cursor_pos]})
        except (RuntimeError, FileNotFoundError, OSError):
            answer = {"matches": [], "start": cursor_pos - line_start}
        return {"status": "ok", "matches": answer.get("matches", []), "cursor_start": line_start + answer.get("start", 0),
                "cursor_end": cursor_pos, "metadata": {}}

    def do_is_complete(self, code):
        return {"status": "complete"}

    def do_shutdown(self, restart):
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None
        return {"status": "ok", "restart": restart}
