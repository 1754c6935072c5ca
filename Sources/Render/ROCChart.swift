import Foundation

extension Charts {
    /// One point of an ROC curve: the false- and true-positive rates at a threshold, with a 95% interval of the
    /// true-positive rate there (the band).
    public struct ROCPoint: Sendable, Equatable {
        public let fpr: Double
        public let tpr: Double
        public let low: Double
        public let high: Double

        public init(fpr: Double, tpr: Double, low: Double, high: Double) {
            self.fpr = fpr
            self.tpr = tpr
            self.low = low
            self.high = high
        }
    }

    /// ROC curve with its confidence band (shaded, between each point's interval of sensitivity) and the chance
    /// diagonal; `auc` with its interval goes into the legend and the description.
    public static func roc(title: String, points: [ROCPoint], auc: Double?, aucCI: ClosedRange<Double>?, band: String) -> String {
        var body = unitAxes(x: "1 − specificity (false-positive rate)", y: "sensitivity (true-positive rate)")
        body += "<line x1=\"60\" y1=\"280\" x2=\"380\" y2=\"40\" stroke=\"\(grey)\" stroke-dasharray=\"4 4\"/>\n"
        // The band: up along the upper ends, back along the lower ends.
        let upper = points.map { "\(f1(px($0.fpr))),\(f1(py($0.high)))" }
        let lower = points.reversed().map { "\(f1(px($0.fpr))),\(f1(py($0.low)))" }
        body += "<polygon fill=\"\(blue)\" fill-opacity=\"0.18\" stroke=\"none\" points=\"" + (upper + lower).joined(separator: " ") + "\"/>\n"
        body += "<polyline fill=\"none\" stroke=\"\(blue)\" stroke-width=\"2\" points=\"" + points.map { "\(f1(px($0.fpr))),\(f1(py($0.tpr)))" }.joined(separator: " ") + "\"/>\n"
        let aucText = auc.map { a in String(format: "AUC %.3f", a) + (aucCI.map { String(format: " (95%% CI %.3f–%.3f)", $0.lowerBound, $0.upperBound) } ?? "") }
        if let aucText { body += "<text x=\"372\" y=\"256\" text-anchor=\"end\">\(Markup.escape(aucText))</text>\n" }
        body += "<text x=\"372\" y=\"270\" text-anchor=\"end\" fill=\"#595959\">shaded: \(Markup.escape(band)); dashed: chance</text>\n"
        return frame(title, desc: "ROC curve: sensitivity against 1 − specificity over every threshold, \(points.count) points"
                     + (aucText.map { ", \($0)" } ?? "") + "; the shaded band is the \(band).", body: body)
    }
}
