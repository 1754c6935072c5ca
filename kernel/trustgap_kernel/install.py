"""Installs the trustgap kernelspec with `jupyter kernelspec install`.

The kernelspec runs this package with the Python that installed it, finds the package through PYTHONPATH (it is not
installed into site-packages), and finds trustgap through $TRUSTGAP, the PATH, or this repository's build folder."""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def kernelspec():
    return {
        "argv": [sys.executable, "-m", "trustgap_kernel", "-f", "{connection_file}"],
        "display_name": "trustgap",
        "language": "trustgap",
        # Jupyter's interrupt is SIGINT, which the kernel passes on to trustgap as Ctrl-C.
        "interrupt_mode": "signal",
        "env": {"PYTHONPATH": os.path.dirname(HERE)},
    }


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 -m trustgap_kernel install")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for this user (the default)")
    where.add_argument("--prefix", help="install under PREFIX/share/jupyter/kernels (tests use a folder of their own)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        spec = os.path.join(folder, "trustgap")
        os.mkdir(spec)
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump(kernelspec(), f, indent=1)
        command = [sys.executable, "-m", "jupyter", "kernelspec", "install", "--replace", "--name", "trustgap", spec]
        command += ["--prefix", args.prefix] if args.prefix else ["--user"]
        subprocess.run(command, check=True)
