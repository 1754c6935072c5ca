import Foundation

/// What makes a figure readable by everyone: text that reaches WCAG 2.1 AA contrast (4.5:1) on its background,
/// labels shortened at a word with an ellipsis (the full text kept in a `<title>`), and axis ticks at round steps.
public enum Legibility {
    /// WCAG 2.1 relative luminance of a #RRGGBB colour.
    public static func luminance(_ hex: String) -> Double {
        let rgb = components(hex)
        func channel(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * channel(rgb.0) + 0.7152 * channel(rgb.1) + 0.0722 * channel(rgb.2)
    }

    /// The contrast ratio of two colours, from 1 to 21.
    public static func contrast(_ a: String, _ b: String) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// Black or white text, whichever contrasts more with the fill.
    public static func text(on fill: String) -> String {
        contrast(fill, "#000000") >= contrast(fill, "#ffffff") ? "#000000" : "#ffffff"
    }

    /// The colour darkened (towards black, keeping its hue) until it reaches 4.5:1 on white: for coloured text on
    /// a white page, such as the words of a word cloud.
    public static func readableOnWhite(_ hex: String) -> String {
        var (r, g, b) = components(hex)
        var out = hex
        while contrast(out, "#ffffff") < 4.5 && (r + g + b) > 0 {
            r *= 0.95; g *= 0.95; b *= 0.95
            out = String(format: "#%02X%02X%02X", Int((r * 255).rounded()), Int((g * 255).rounded()), Int((b * 255).rounded()))
        }
        return out
    }

    static func components(_ hex: String) -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = Int(digits, radix: 16) else { return (0, 0, 0) }
        return (Double((v >> 16) & 0xFF) / 255, Double((v >> 8) & 0xFF) / 255, Double(v & 0xFF) / 255)
    }

    /// A label of at most `limit` characters: whole, or cut at the last space that fits, with "…". `cut` says
    /// whether the full text must be given elsewhere (a `<title>`, the table beside the figure).
    public static func fit(_ label: String, _ limit: Int) -> (text: String, cut: Bool) {
        guard label.count > limit else { return (label, false) }
        let head = label.prefix(limit - 1)
        let atWord = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return (atWord.trimmingCharacters(in: .whitespaces) + "…", true)
    }

    /// An SVG `<text>` element holding a label fitted to `limit`, with the full label as its `<title>` when cut.
    public static func label(_ label: String, _ limit: Int, attributes: String) -> String {
        let fitted = fit(label, limit)
        let title = fitted.cut ? "<title>\(Markup.escape(label))</title>" : ""
        return "<text \(attributes)>\(title)\(Markup.escape(fitted.text))</text>"
    }

    /// Round ticks from 0 to at least `top`: steps of 1, 2, 2.5 or 5 times a power of ten, about `count` of them.
    public static func ticks(upTo top: Double, count: Int = 5) -> [Double] {
        guard top > 0, top.isFinite else { return [0, 1] }
        let raw = top / Double(max(1, count - 1))
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        let n = Int((top / step).rounded(.up))
        return (0...n).map { Double($0) * step }
    }

    /// A tick's label: as few decimals as its step needs.
    public static func tickLabel(_ v: Double, step: Double) -> String {
        let exponent = Int(floor(log10(step) + 1e-9))
        let mantissa = step / pow(10, Double(exponent))
        let decimals = max(0, -exponent + (abs(mantissa - 2.5) < 1e-9 ? 1 : 0))
        return String(format: "%.\(decimals)f", v)
    }
}
