#!/usr/bin/env python3
"""Makes hostile variants of a good trustgap workspace, as a colleague with bad intent (or a broken tool) would.
Usage: hostile_workspaces.py GOOD.tgw OUT_DIR TARGET_DIR
Writes OUT_DIR/<name>.tgw for each attack and prints the names, one a line. TARGET_DIR is where a path-traversal
attack tries to write (the test checks that nothing appears there)."""
import hashlib, os, shutil, sqlite3, sys

good, out, target = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)

def variant(name, sql, params=()):
    path = os.path.join(out, name + ".tgw")
    shutil.copy(good, path)
    db = sqlite3.connect(path)
    db.execute(sql, params)
    db.commit()
    db.close()
    print(name)

rel = os.path.relpath(target, "/tmp")
# The stored hash names a folder: a traversal path in it once wrote the stored content anywhere.
variant("traversal-hash", "UPDATE file SET sha256 = ? WHERE kind = 'survey'", ("../../../../.." + target,))
# A valid-looking hash that is not the content's.
variant("wrong-hash", "UPDATE file SET sha256 = ? WHERE kind = 'survey'", ("0" * 64,))
# Content changed after the hash was taken.
variant("tampered-content", "UPDATE file SET content = CAST('respondent,Q1' AS BLOB) WHERE kind = 'survey'")
# Load options that were once pasted into a command line.
variant("option-injection", "UPDATE file SET options = ? WHERE kind = 'survey'",
        ('{"format": "wide\\" --questionnaire \\"/etc/passwd", "group": "x\\" --format \\"qualtrics"}',))
# NULL and wrong types where trustgap writes text.
variant("blob-command", "UPDATE history SET command = X'FF00'")
variant("blob-code-name", "INSERT INTO code(position, id, name, definition, include, exclude, example, colour, parent, codable, memo) VALUES (0, 'x', X'FF', '', '', '', '', '', NULL, 1, '')")
variant("codable-text", "INSERT INTO code(position, id, name, definition, include, exclude, example, colour, parent, codable, memo) VALUES (0, 'x', 'x', '', '', '', '', '', NULL, 'yes', '')")
# A trigger that would run on trustgap's next write.
variant("trigger", "CREATE TRIGGER t AFTER INSERT ON history BEGIN DELETE FROM coding; END")
variant("view", "CREATE VIEW v AS SELECT * FROM coding")

# A SQLite file that is not a workspace at all: it must be refused and left byte for byte as it was.
foreign = os.path.join(out, "foreign.tgw")
db = sqlite3.connect(foreign)
db.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT)")
db.execute("INSERT INTO accounts(owner) VALUES ('someone')")
db.commit()
db.close()
print("foreign")
