"""Runs the rendered training notebooks on the trustgap kernel as Jupyter does, in one Python process (starting
Python and importing nbconvert per notebook took most of the test's time); each notebook still gets its own kernel.

usage: jupyter_kernel.py FOLDER COPY NOTEBOOK.ipynb...

For each notebook in FOLDER: nbformat validates it, it names the trustgap kernel, and its stored outputs are the
kernel's kind (tables as text/html, figures as image/svg+xml, no shell); nbconvert's ExecutePreprocessor runs it,
and runs the executed notebook again: the figures are still there, as many as the rendering stored. Then FOLDER is
copied to COPY (another folder, another depth) and each notebook runs once more from there: its paths resolve
against its own folder. Last, one kernel is driven by hand: Tab completion, an error with trustgap's code, a path
outside the notebook's folder refused, and an interrupt that stops a long command and keeps the session."""

import multiprocessing
import os
import shutil
import sys
import time

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor
from jupyter_client.manager import start_new_kernel


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if kind in o.get("data", {})]


def errors(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]


def execute(path):
    nb = nbformat.read(path, as_version=4)
    # Generous start-up time: a kernel starting beside the rest of the suite on two cores can be slow.
    ExecutePreprocessor(timeout=600, startup_timeout=600).preprocess(nb, {"metadata": {"path": os.path.dirname(path)}})
    nbformat.write(nb, path)
    return nb


def check_notebook(folder, copy, name):
    """One notebook: its stored outputs, two executions in FOLDER and one in COPY. Returns its figure count."""
    path = os.path.join(folder, name)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "trustgap", name
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "%%bash" not in sources and "<<" not in sources and "TRUSTGAP" not in sources, name
    assert outputs(nb, "text/html"), f"{name}: no table as HTML"
    assert not errors(nb), name
    stored = len(outputs(nb, "image/svg+xml"))
    for where, run in ((path, 1), (path, 2), (os.path.join(copy, name), 3)):
        nb = execute(where)
        assert not errors(nb), f"{name} run {run}: {errors(nb)}"
        svg = len(outputs(nb, "image/svg+xml"))
        assert svg == stored, f"{name} run {run}: {svg} figures, the rendering stored {stored}"
    return stored


def check_notebooks(folder, copy, names):
    # The copy is taken as rendered, before any run; it sits at another depth, so no path can lean on the folder.
    shutil.copytree(folder, copy)
    # Each notebook in a process of its own, side by side: a kernel's start-up is mostly waiting. Spawned, not
    # forked: a child forked from a process with jupyter_client's locks once hung on one of them.
    with multiprocessing.get_context("spawn").Pool(len(names)) as pool:
        # A bound, so that a hang fails the test instead of holding up the suite.
        figures = dict(zip(names, pool.starmap_async(check_notebook, [(folder, copy, name) for name in names]).get(timeout=900)))
    for name in names:
        print("ran twice", name, "figures", figures[name])
        print("ran from the copy", name)
    assert figures["01-mind-the-gap.ipynb"] == 2 and figures["02-thematic-analysis.ipynb"] == 1, figures


def reply(client, code):
    msg_id = client.execute(code)
    shown = []
    while True:
        msg = client.get_iopub_msg(timeout=600)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("display_data", "error"):
            shown.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return client.get_shell_msg(timeout=600)["content"], shown


def check_session(folder):
    os.chdir(folder)
    manager, client = start_new_kernel(kernel_name="trustgap", startup_timeout=600)
    try:
        matches = client.complete("load sur", 8, reply=True, timeout=60)["content"]
        assert matches["matches"] == ["survey"] and matches["cursor_start"] == 5, matches
        content, _ = reply(client, "load survey data/ai4hi/responses.csv")
        assert content["status"] == "ok", content
        matches = client.complete("groups\ncrosstab Q1", 19, reply=True, timeout=60)["content"]
        assert "Q10" in matches["matches"] and matches["cursor_start"] == 16, matches
        content, shown = reply(client, "crosstab Q99")
        assert content["status"] == "error" and content["ename"] == "survey.unknown_question", content
        assert shown and shown[-1]["msg_type"] == "error", shown
        content, _ = reply(client, "load survey /etc/passwd")
        assert content["status"] == "error" and "outside the notebook's folder" in content["evalue"], content
        # An interrupt stops a long Monte Carlo test; the survey loaded before is still there.
        msg_id = client.execute("chisq Q7 --simulate 2000000000 --seed 1")
        time.sleep(2)
        manager.interrupt_kernel()
        content = client.get_shell_msg(timeout=120)["content"]
        assert content["status"] == "error" and content["ename"] == "statistics.interrupted", content
        content, shown = reply(client, "groups")
        assert content["status"] == "ok" and any("text/html" in m["content"].get("data", {}) for m in shown), content
        print("session ok")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    folder, copy, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    check_notebooks(folder, copy, names)
    check_session(folder)
