#!/usr/bin/env python3
"""Prints an HTML report to PDF with headless Chromium, as a reader's browser would, and checks it page by page:
every page rendered by pdftoppm has ink (no blank page), and every figure and table sits whole on one page: the
page that shows a figure's title also shows the start and the end of its caption, and the page that shows a table's
caption also shows its last row. Needs chromium and poppler-utils (pdftoppm, pdftotext).

    python3 scripts/check_print.py REPORT.html
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_in_browser import chromium, pixels  # noqa: E402


def words(text):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def squeeze(text):
    # Page text and the HTML compared without spaces, which PDF extraction adds and drops at line breaks.
    return re.sub(r"\s+", "", text)


def main(path):
    page = open(path, encoding="utf-8").read()
    out = tempfile.mkdtemp(prefix="tg-print-")
    try:
        pdf = os.path.join(out, "report.pdf")
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={os.path.join(out, 'profile')}", f"--print-to-pdf={pdf}", "file://" + os.path.abspath(path)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        subprocess.run(["pdftoppm", "-r", "24", "-png", pdf, os.path.join(out, "page")], check=True)
        images = sorted(f for f in os.listdir(out) if f.startswith("page") and f.endswith(".png"))
        texts = []
        for k, image in enumerate(images, 1):
            width, height, bpp, rows = pixels(os.path.join(out, image))
            background = rows[0][:3]
            ink = sum(1 for row in rows for x in range(0, width * bpp, bpp) if row[x:x + 3] != background)
            assert ink > 0.002 * width * height, f"page {k} is blank"
            text = subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), pdf, "-"], check=True,
                                  capture_output=True, text=True).stdout
            texts.append(squeeze(text))
        problems = []
        for figure in re.findall(r"<figure>(.*?)</figure>", page, re.S):
            title = re.search(r"<title>(.*?)</title>", figure, re.S)
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
            if not title or not caption:
                problems.append("a figure without <title> or <figcaption>")
                continue
            head = squeeze(" ".join(words(title.group(1)).split()[:3]))
            cap = words(caption.group(1)).split()
            start, end = squeeze(" ".join(cap[:4])), squeeze(" ".join(cap[-3:]))
            if not any(head in t and start in t and end in t for t in texts):
                problems.append(f"figure \"{words(title.group(1))}\" is not whole on one page")
        for table in re.findall(r"<table>(.*?)</table>", page, re.S):
            caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
            rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
            if not caption or len(rows) < 2:
                continue
            first = squeeze(" ".join(words(caption.group(1)).split()[:4]))
            last = squeeze(words(re.findall(r"<td[^>]*>(.*?)</td>", rows[-1], re.S)[0]) if re.findall(r"<td", rows[-1]) else "")
            if not any(first in t and last in t for t in texts):
                problems.append(f"table \"{words(caption.group(1))}\" is not whole on one page")
        if problems:
            sys.exit("\n".join(problems))
        print(f"printed {len(images)} pages; every figure and table whole on a page")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
