#!/usr/bin/env python3
"""Reference readability values from textstat 0.7.3 (the last version that counts syllables with pyphen, which
works offline; later versions download NLTK's CMU dictionary at run time). textstat is given a pyphen built on
Debian's hyphen-en-us patterns (/usr/share/hyphen/hyph_en_US.dic), the file trustgap reads, so word, sentence and
syllable counts must agree exactly; textstat's grades round intermediate averages, so they are written too but
compared within rounding.

    python3 -m venv /tmp/ts && /tmp/ts/bin/pip install textstat==0.7.3
    apt-get install hyphen-en-us
    /tmp/ts/bin/python scripts/make_readability_fixtures.py > Tests/ExplainTests/Fixtures/readability_reference.json
"""
import json, sys
import pyphen, textstat

textstat.pyphen = pyphen.Pyphen(filename="/usr/share/hyphen/hyph_en_US.dic")
texts = [
    "The AI looked at your scan. About 8 in 10 people with scans like yours have this kind of cancer. Your doctor decides what happens next.",
    "The computer program checked the pictures of your prostate. It did not make a diagnosis. It found an area that your doctor should look at more closely.",
    "We could not use the scan: it was blurred by movement. The program did not give a result. Please ask your doctor about a new scan.",
    "Clinically significant prostate cancer was predicted with a probability of 0.82 (95% CI 0.70-0.90); epistemic uncertainty was low.",
    "The model's area under the receiver operating characteristic curve on the external test set was 0.85, with a DeLong confidence interval from 0.79 to 0.90.",
    "Your data stay in the hospital. Nobody outside it sees your scan.",
    "Hi. Yes. The scan was checked by the program and by your doctor, who will talk with you about it.",
    "Naïve café-goers re-validate co-operative models!? Don't worry: it's fine.",
]
out = []
for t in texts:
    words, sentences, syllables = textstat.lexicon_count(t), textstat.sentence_count(t), textstat.syllable_count(t)
    out.append({"text": t, "words": words, "sentences": sentences, "syllables": syllables,
                "fk_grade": 0.39 * words / sentences + 11.8 * syllables / words - 15.59,
                "flesch": 206.835 - 1.015 * words / sentences - 84.6 * syllables / words,
                "textstat_fk_grade": textstat.flesch_kincaid_grade(t), "textstat_flesch": textstat.flesch_reading_ease(t)})

# Word and sentence counts on the golden renderings and on generated texts full of what the counting rules decide:
# other scripts' letters, digits and white space, combining marks (which textstat's punctuation removal drops),
# control separators (white space to Python), underscores, connector punctuation, joiners, terminals.
import os, random
golden = os.path.join(os.path.dirname(__file__), "..", "Tests", "ExplainTests", "Fixtures", "golden")
samples = [open(os.path.join(golden, f), encoding="utf-8").read() for f in sorted(os.listdir(golden))]
alphabet = ["a", "B", "z", " ", " ", "\t", "\n", "\n", "\r\n", "\u00a0", "\u2003", "\u0301", "\u0600", "1", "7", ".", "5", "\u0663",
            "\uff15", "É", "İ", "Σ", "ß", "–", "→", "≥", "%", "(", ")", ";", ":", "-", "_", "auc", "AUC", "roc curve", "p-value", "é",
            "x\u0301", "\u200d", "?", "!", "0.05", "12", "…", "\U0001F600", "\u203f", "\u001c", "½", "Ⅻ", "don't", "...", "?!"]
rng = random.Random(20261123)
for _ in range(400):
    samples.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
counts = [{"text": t, "words": textstat.lexicon_count(t), "sentences": textstat.sentence_count(t)} for t in samples]
# Syllables of every word of the golden renderings and of generated codes (case ids, figures with letters).
words = sorted({w for t in samples[:len(os.listdir(golden))] for w in textstat.remove_punctuation(t).split()})
words += ["B%05d" % rng.randint(0, 99999) for _ in range(100)] + ["%sx%d" % (rng.choice(["ct", "mri", "dwi"]), rng.randint(1, 999)) for _ in range(50)]
syllables = {w: textstat.syllable_count(w) for w in words}
json.dump({"textstat": "0.7.3", "dictionary": "/usr/share/hyphen/hyph_en_US.dic (Debian hyphen-en-us)", "texts": out, "counts": counts,
           "syllables": syllables},
          sys.stdout, indent=1, ensure_ascii=False)
print()
