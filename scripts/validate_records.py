#!/usr/bin/env python3
"""Checks validation records against schemas/validation-record-1.schema.json (JSON Schema 2020-12, the
`jsonschema` package from PyPI). Prints one line per record; exits 1 on the first invalid one.

    python3 scripts/validate_records.py data/validation/*.json
"""
import json, sys
from pathlib import Path
from jsonschema import Draft202012Validator

schema = json.loads((Path(__file__).resolve().parent.parent / "schemas/validation-record-1.schema.json").read_text())
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
status = 0
for path in sys.argv[1:]:
    errors = sorted(validator.iter_errors(json.loads(Path(path).read_text(encoding="utf-8"))), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'.'.join(str(p) for p in e.path) or '$'}: {e.message}")
        status = 1
    if not errors:
        print(f"{path}: valid")
sys.exit(status)
