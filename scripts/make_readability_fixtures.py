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
json.dump({"textstat": "0.7.3", "dictionary": "/usr/share/hyphen/hyph_en_US.dic (Debian hyphen-en-us)", "texts": out}, sys.stdout, indent=1, ensure_ascii=False)
print()
