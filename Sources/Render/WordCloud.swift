import Foundation
import Statistics

/// A word cloud as SVG with a deterministic layout: the same words, counts and seed always give the same picture.
///
/// Words are placed from the most frequent down, each along an Archimedean spiral (r = 3θ) from the centre starting
/// at a seeded random angle, at the first position where its box overlaps no placed word. Font size grows with the
/// square root of the count between `minFont` and `maxFont`. Words that find no room are left out and counted.
/// Colours cycle through the Okabe–Ito palette, which colour-blind readers can tell apart.
public struct WordCloud {
    public struct Placed: Sendable, Equatable {
        public let term: String
        public let count: Int
        public let x: Double
        public let y: Double
        public let fontSize: Double
        public let colour: String
    }

    /// Okabe–Ito hues darkened to 4.5:1 on white (WCAG AA): the lighter ones (orange, sky blue, green, pink) at
    /// their own brightness read at 2–3:1.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"].map(Legibility.readableOnWhite)

    public let placed: [Placed]
    public let leftOut: Int
    public let width: Double
    public let height: Double
    public let title: String

    public init(words: [(term: String, count: Int)], seed: UInt64, title: String, width: Double = 800, height: Double = 500,
                minFont: Double = 12, maxFont: Double = 64, maxWords: Int = 100) {
        self.width = width
        self.height = height
        self.title = title
        let chosen = Array(words.prefix(maxWords))
        let counts = chosen.map(\.count)
        let lo = Double(counts.min() ?? 1), hi = Double(counts.max() ?? 1)
        var rng = SeededGenerator(seed: seed)
        var boxes: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var out: [Placed] = []
        var skipped = 0
        for (k, w) in chosen.enumerated() {
            let scale = hi > lo ? ((Double(w.count) - lo) / (hi - lo)).squareRoot() : 1
            let size = minFont + (maxFont - minFont) * scale
            // Glyph box estimate for a sans-serif face: 0.6 em per character, 1 em high.
            let bw = 0.6 * size * Double(w.term.count) + 4, bh = size + 2
            let start = rng.nextUniform() * 2 * Double.pi
            var found: (Double, Double)?
            var theta = 0.0
            while theta < 200 {
                let r = 3 * theta
                let cx = width / 2 + r * cos(theta + start), cy = height / 2 + 36 + r * 0.6 * sin(theta + start)
                let box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
                if box.0 >= 0, box.2 <= width, box.1 >= 40, box.3 <= height,
                   !boxes.contains(where: { $0.x0 < box.2 && box.0 < $0.x1 && $0.y0 < box.3 && box.1 < $0.y1 }) {
                    found = (cx, cy)
                    boxes.append(box)
                    break
                }
                theta += 0.05
            }
            if let (x, y) = found {
                out.append(Placed(term: w.term, count: w.count, x: x, y: y, fontSize: size, colour: Self.palette[k % Self.palette.count]))
            } else {
                skipped += 1
            }
        }
        placed = out
        leftOut = skipped
    }

    public var svg: String {
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title>\(Markup.escape(title))</title>
        <desc>\(Markup.escape("Word cloud: the most frequent words, larger when more frequent: " + placed.prefix(20).map { "\($0.term) \($0.count)" }.joined(separator: ", ") + (placed.count > 20 ? ", …" : "") + "."))</desc>
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(Int(width / 2))" y="26" text-anchor="middle" font-size="18" font-weight="bold" fill="#222222">\(Markup.escape(title))</text>

        """
        for p in placed {
            // Interpolation, not String(format:) with %@ (fragile with Swift Strings on Linux).
            s += "<text x=\"\(String(format: "%.1f", p.x))\" y=\"\(String(format: "%.1f", p.y))\" font-size=\"\(String(format: "%.1f", p.fontSize))\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"\(p.colour)\"><title>\(Markup.escape(p.term)): \(p.count)</title>\(Markup.escape(p.term))</text>\n"
        }
        return s + "</svg>\n"
    }
}
