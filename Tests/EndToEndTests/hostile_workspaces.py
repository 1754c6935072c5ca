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

def variant_script(name, script):
    path = os.path.join(out, name + ".tgw")
    shutil.copy(good, path)
    db = sqlite3.connect(path)
    db.executescript(script)
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
# Columns trustgap never writes: reading one generated column of 400 MB per row once took 5.5 GB and crashed.
variant("generated-column", "ALTER TABLE coding ADD COLUMN big BLOB GENERATED ALWAYS AS (zeroblob(400000000)) VIRTUAL")
variant_script("generated-in-place", """
    CREATE TABLE c2(rowid INTEGER PRIMARY KEY AUTOINCREMENT, respondent TEXT NOT NULL, question TEXT NOT NULL,
                    code TEXT NOT NULL, coder BLOB GENERATED ALWAYS AS (zeroblob(400000000)) VIRTUAL, start INTEGER, "end" INTEGER);
    INSERT INTO c2(respondent, question, code, start, "end") SELECT respondent, question, code, start, "end" FROM coding;
    DROP TABLE coding; ALTER TABLE c2 RENAME TO coding;""")
variant("extra-column", "ALTER TABLE code ADD COLUMN extra TEXT")
variant_script("wrong-type", """
    CREATE TABLE h2(id INTEGER PRIMARY KEY AUTOINCREMENT, command BLOB NOT NULL);
    INSERT INTO h2 SELECT id, command FROM history; DROP TABLE history; ALTER TABLE h2 RENAME TO history;""")
variant("extra-table", "CREATE TABLE notes(x TEXT)")
variant("index", "CREATE INDEX expensive ON coding(length(respondent))")
variant_script("check-constraint", """
    CREATE TABLE s2(key TEXT NOT NULL PRIMARY KEY CHECK (length(zeroblob(100000000)) > 0), value TEXT NOT NULL);
    INSERT INTO s2 SELECT key, value FROM setting; DROP TABLE setting; ALTER TABLE s2 RENAME TO setting;""")

# A SQLite file that is not a workspace at all: it must be refused and left byte for byte as it was.
foreign = os.path.join(out, "foreign.tgw")
db = sqlite3.connect(foreign)
db.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT)")
db.execute("INSERT INTO accounts(owner) VALUES ('someone')")
db.commit()
db.close()
print("foreign")
