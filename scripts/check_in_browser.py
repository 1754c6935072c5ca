#!/usr/bin/env python3
"""Opens an HTML report in headless Chromium (Debian's `chromium`), fails on JavaScript console errors or failed
loads, takes a screenshot and fails if it is blank (fewer than 1% of pixels differ from the background).
Decodes the PNG itself (zlib + filters), so it needs nothing beyond Python and Chromium.

    python3 scripts/check_in_browser.py REPORT.html [SCREENSHOT.png]
"""
import os, shutil, struct, subprocess, sys, tempfile, zlib

def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    sys.exit("check_in_browser: no chromium on PATH (apt-get install chromium)")

def pixels(png):
    data = open(png, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), "expected 8-bit RGB or RGBA"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows

def main():
    report = os.path.abspath(sys.argv[1])
    shot = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tempfile.mkdtemp(), "shot.png")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
                                 "--window-size=1100,1600", "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "file://" + report],
                                capture_output=True, text=True, timeout=120)
    log = result.stderr
    errors = [l for l in log.splitlines() if "CONSOLE" in l and ("Error" in l or "error" in l) or "Failed to load" in l or "ERR_FILE_NOT_FOUND" in l]
    if errors:
        sys.exit("check_in_browser: errors while loading:\n" + "\n".join(errors[:10]))
    if not os.path.exists(shot):
        sys.exit("check_in_browser: no screenshot was written\n" + log[-2000:])
    width, height, bpp, rows = pixels(shot)
    background = rows[0][:3]
    ink = sum(1 for row in rows[::4] for x in range(0, width * bpp, bpp * 4) if row[x:x + 3] != background)
    sampled = len(rows[::4]) * len(range(0, width * bpp, bpp * 4))
    share = ink / sampled
    print(f"{report}: loaded without errors; screenshot {width}x{height}, {100 * share:.1f}% non-background pixels")
    if share < 0.01:
        sys.exit("check_in_browser: the screenshot is blank")

if __name__ == "__main__":
    main()
