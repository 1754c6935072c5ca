import Foundation

/// Loads validation records from a file or every `*.json` in a folder. A folder loads whole or not at all.
public enum RecordLoader {
    public static let schemaName = "trustgap.validation-record/1"
    static let knownKeys: Set<String> = ["schema", "id", "model", "data", "practice", "performance", "comparator", "calibration",
                                         "uncertainty", "explainability", "cases", "predictions_csv", "provenance", "limitations",
                                         "human_oversight", "monitoring", "privacy", "synthetic", "plain_language", "cybersecurity", "changes", "lifetime", "logging"]

    public static func load(path: String) throws -> [ValidationRecord] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ValidationError.unreadable(path: path, reason: "no such file or folder")
        }
        let files: [String]
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".json") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw ValidationError.noRecords(path: path) }
        } else {
            files = [path]
        }
        var records: [ValidationRecord] = []
        for f in files {
            let r = try loadFile(f)
            if let other = records.first(where: { $0.id == r.id }) {
                throw ValidationError.duplicateRecord(id: r.id, first: other.path, second: f)
            }
            records.append(r)
        }
        return records
    }

    public static func loadFile(_ path: String) throws -> ValidationRecord {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError.unreadable(path: path, reason: "cannot read the file") }
        let json: JSON
        do {
            json = try JSONBytes.parse(data)
        } catch let e as JSONBytes.Failure {
            throw ValidationError.invalidJSON(path: path, message: "line \(e.line), column \(e.column): \(e.message)")
        }
        return try parse(json, path: path)
    }

    /// A record from Foundation's values (JSONSerialization's output, or one built in code).
    public static func parse(_ json: Any, path: String) throws -> ValidationRecord {
        try parse(JSON(foundation: json), path: path)
    }

    static func parse(_ json: JSON, path: String) throws -> ValidationRecord {
        let r = JSONReader(file: path)
        let top = try r.object(json, "$")
        let schema = try r.string(top["schema"], "schema")
        guard schema == schemaName else { throw r.fail("schema", "expected \"\(schemaName)\", got \"\(schema)\"") }
        let id = try r.string(top["id"], "id")
        guard id.range(of: "^[A-Za-z0-9._-]+$", options: .regularExpression) != nil else {
            throw r.fail("id", "\"\(id)\" may use only letters, digits, '.', '_' and '-'")
        }
        let m = try r.object(top["model"], "model")
        let taskName = try r.string(m["task"], "model.task")
        guard let task = ValidationRecord.Task(rawValue: taskName) else {
            throw r.fail("model.task", "expected classification, segmentation or regression, got \"\(taskName)\"")
        }
        let model = ValidationRecord.Model(name: try r.string(m["name"], "model.name"), version: try r.optionalString(m["version"], "model.version") ?? "",
                                           task: task, modality: try r.optionalString(m["modality"], "model.modality") ?? "",
                                           target: try r.optionalString(m["target"], "model.target") ?? "",
                                           intendedUse: try r.optionalString(m["intended_use"], "model.intended_use") ?? "",
                                           intendedUsers: try r.strings(m["intended_users"], "model.intended_users"),
                                           outOfScope: try r.strings(m["out_of_scope"], "model.out_of_scope"),
                                           riskClass: try r.optionalString(m["risk_class"], "model.risk_class"),
                                           positiveLabel: try r.optionalString(m["positive_label"], "model.positive_label"))
        let dataSection = try r.optionalObject(top["data"], "data") ?? [:]
        let training = try r.optionalObject(dataSection["training"], "data.training")
        var testSets: [ValidationRecord.TestSet] = []
        for (k, t) in try r.list(dataSection["test_sets"], "data.test_sets").enumerated() {
            let o = try r.object(t, "data.test_sets[\(k)]")
            let kind = try r.string(o["kind"], "data.test_sets[\(k)].kind")
            guard kind == "internal" || kind == "external" else { throw r.fail("data.test_sets[\(k)].kind", "expected internal or external, got \"\(kind)\"") }
            testSets.append(.init(id: try r.string(o["id"], "data.test_sets[\(k)].id"), kind: kind,
                                  site: try r.optionalString(o["site"], "data.test_sets[\(k)].site"),
                                  n: try r.optionalCount(o["n"], "data.test_sets[\(k)].n")))
        }
        var practice: [String: [String]] = [:]
        for (q, v) in try r.optionalObject(top["practice"], "practice") ?? [:] {
            practice[q] = try r.string(v, "practice.\(q)").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        func metric(_ v: JSON?, _ p: String) throws -> ValidationRecord.ReportedMetric {
            let o = try r.object(v, p)
            var subgroup: ValidationRecord.Subgroup?
            if let s = try r.optionalObject(o["subgroup"], "\(p).subgroup") {
                subgroup = .init(attribute: try r.string(s["attribute"], "\(p).subgroup.attribute"), value: try r.string(s["value"], "\(p).subgroup.value"),
                                 column: try r.optionalString(s["column"], "\(p).subgroup.column"))
            }
            return .init(metric: try r.string(o["metric"], "\(p).metric").lowercased(), value: try r.number(o["value"], "\(p).value"),
                         ci: try r.interval(o["ci"], "\(p).ci"), ciLevel: try r.optionalNumber(o["ci_level"], "\(p).ci_level"),
                         ciMethod: try r.optionalString(o["ci_method"], "\(p).ci_method"),
                         testSet: try r.optionalString(o["test_set"], "\(p).test_set") ?? testSets.first?.id ?? "",
                         subgroup: subgroup, threshold: try r.optionalNumber(o["threshold"], "\(p).threshold"),
                         nominal: try r.optionalNumber(o["nominal"], "\(p).nominal"), jsonPath: p)
        }
        let performance = try r.list(top["performance"], "performance").enumerated().map { try metric($1, "performance[\($0)]") }
        for p in performance where !p.testSet.isEmpty && !testSets.isEmpty && !testSets.contains(where: { $0.id == p.testSet }) {
            throw r.fail("\(p.jsonPath).test_set", "\"\(p.testSet)\" is not one of data.test_sets (\(testSets.map(\.id).joined(separator: ", ")))")
        }
        let comparator = try top["comparator"].isNull ? nil : metric(top["comparator"], "comparator")
        var calibration: ValidationRecord.Calibration?
        if let c = try r.optionalObject(top["calibration"], "calibration") {
            let binning = try r.optionalString(c["binning"], "calibration.binning") ?? "equal_width"
            guard binning == "equal_width" || binning == "equal_mass" else { throw r.fail("calibration.binning", "expected equal_width or equal_mass, got \"\(binning)\"") }
            calibration = .init(testSet: try r.optionalString(c["test_set"], "calibration.test_set"), binning: binning,
                                bins: try r.optionalCount(c["bins"], "calibration.bins") ?? 10, ece: try r.optionalNumber(c["ece"], "calibration.ece"))
            if (calibration?.bins ?? 0) < 1 { throw r.fail("calibration.bins", "needs at least one bin") }
        }
        var uncertainty: ValidationRecord.Uncertainty?
        if let u = try r.optionalObject(top["uncertainty"], "uncertainty") {
            var conformal: ValidationRecord.Conformal?
            if let c = try r.optionalObject(u["conformal"], "uncertainty.conformal") {
                conformal = .init(alpha: try r.number(c["alpha"], "uncertainty.conformal.alpha"),
                                  empiricalCoverage: try r.optionalNumber(c["empirical_coverage"], "uncertainty.conformal.empirical_coverage"),
                                  meanSetSize: try r.optionalNumber(c["mean_set_size"], "uncertainty.conformal.mean_set_size"),
                                  testSet: try r.optionalString(c["test_set"], "uncertainty.conformal.test_set"))
            }
            uncertainty = .init(method: try r.string(u["method"], "uncertainty.method"), members: try r.optionalCount(u["members"], "uncertainty.members"),
                                level: try r.optionalString(u["level"], "uncertainty.level"),
                                intervalLevel: try r.optionalNumber(u["interval_level"], "uncertainty.interval_level"), conformal: conformal)
        }
        let xai = try r.optionalObject(top["explainability"], "explainability") ?? [:]
        var cases: [ValidationRecord.Case] = []
        var seenCases = Set<String>()
        for (k, c) in try r.list(top["cases"], "cases").enumerated() {
            let p = "cases[\(k)]"
            let o = try r.object(c, p)
            let cid = try r.string(o["id"], "\(p).id")
            guard seenCases.insert(cid).inserted else { throw r.fail("\(p).id", "case id \(cid) appears twice") }
            let pred = try r.optionalObject(o["prediction"], "\(p).prediction") ?? [:]
            let u = try r.optionalObject(o["uncertainty"], "\(p).uncertainty") ?? [:]
            let qc = try r.optionalObject(o["qc"], "\(p).qc") ?? [:]
            let sal = try r.optionalObject(o["saliency"], "\(p).saliency") ?? [:]
            let probability = try r.optionalNumber(pred["probability"], "\(p).prediction.probability")
            if let pr = probability, !(0...1).contains(pr) { throw r.fail("\(p).prediction.probability", "expected a probability between 0 and 1, got \(pr)") }
            let attributions = try r.list(o["attributions"], "\(p).attributions").enumerated().map { j, a -> ValidationRecord.Attribution in
                let ao = try r.object(a, "\(p).attributions[\(j)]")
                return .init(feature: try r.string(ao["feature"], "\(p).attributions[\(j)].feature"),
                             label: try r.optionalString(ao["label"], "\(p).attributions[\(j)].label") ?? (try r.string(ao["feature"], "\(p).attributions[\(j)].feature")),
                             value: try r.number(ao["value"], "\(p).attributions[\(j)].value"),
                             direction: try r.optionalString(ao["direction"], "\(p).attributions[\(j)].direction"))
            }
            let similar = try r.list(o["similar_cases"], "\(p).similar_cases").enumerated().map { j, s -> (String, String, Double) in
                let so = try r.object(s, "\(p).similar_cases[\(j)]")
                return (try r.string(so["id"], "\(p).similar_cases[\(j)].id"), try r.optionalString(so["label"], "\(p).similar_cases[\(j)].label") ?? "",
                        try r.number(so["similarity"], "\(p).similar_cases[\(j)].similarity"))
            }
            var reference: String?
            if let ref = o["reference"], !Optional(ref).isNull {
                switch ref {
                case .string(let t): reference = t
                case .number(let d): reference = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
                default: reference = nil
                }
                if reference == nil { throw r.fail("\(p).reference", "expected text or a number, got \(JSONReader.describe(ref))") }
            }
            let caseSet = try r.optionalString(o["test_set"], "\(p).test_set")
            if let set = caseSet, !testSets.contains(where: { $0.id == set }) {
                throw r.fail("\(p).test_set", "\"\(set)\" is not one of data.test_sets (\(testSets.map(\.id).joined(separator: ", ")))")
            }
            cases.append(.init(id: cid, label: try r.optionalString(pred["label"], "\(p).prediction.label"), probability: probability,
                               value: try r.optionalNumber(pred["value"], "\(p).prediction.value"), unit: try r.optionalString(pred["unit"], "\(p).prediction.unit"),
                               diceEstimate: try r.optionalNumber(pred["dice_estimate"], "\(p).prediction.dice_estimate"),
                               volumeML: try r.optionalNumber(pred["volume_ml"], "\(p).prediction.volume_ml"),
                               predictiveSD: try r.optionalNumber(u["predictive_sd"], "\(p).uncertainty.predictive_sd"),
                               epistemic: try r.optionalNumber(u["epistemic"], "\(p).uncertainty.epistemic"),
                               aleatoric: try r.optionalNumber(u["aleatoric"], "\(p).uncertainty.aleatoric"),
                               interval: try r.interval(u["interval"], "\(p).uncertainty.interval"),
                               conformalSet: try r.strings(u["conformal_set"], "\(p).uncertainty.conformal_set"),
                               inputOK: try r.bool(qc["input_ok"], "\(p).qc.input_ok"), oodScore: try r.optionalNumber(qc["ood_score"], "\(p).qc.ood_score"),
                               oodThreshold: try r.optionalNumber(qc["ood_threshold"], "\(p).qc.ood_threshold"),
                               qcFlags: try r.strings(qc["flags"], "\(p).qc.flags"), attributions: attributions,
                               saliencyRegion: try r.optionalString(sal["region"], "\(p).saliency.region"),
                               saliencyMethod: try r.optionalString(sal["method"], "\(p).saliency.method"),
                               similarCases: similar.map { (id: $0.0, label: $0.1, similarity: $0.2) }, reference: reference, testSet: caseSet, index: k))
        }
        var plain: ValidationRecord.PlainLanguage?
        if let o = try r.optionalObject(top["plain_language"], "plain_language") {
            func words(_ key: String) throws -> [String: String] {
                var out: [String: String] = [:]
                for (k, v) in try r.optionalObject(o[key], "plain_language.\(key)") ?? [:] { out[k] = try r.string(v, "plain_language.\(key).\(k)") }
                return out
            }
            plain = .init(condition: try r.optionalString(o["condition"], "plain_language.condition"), people: try r.optionalString(o["people"], "plain_language.people"),
                          labels: try words("labels"), checks: try words("checks"))
        }
        var provenance: [String: String] = [:]
        for (k, v) in try r.optionalObject(top["provenance"], "provenance") ?? [:] {
            switch v {
            case .string(let t): provenance[k] = t
            case .number(let d): provenance[k] = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
            case .bool(let b): provenance[k] = b ? "true" : "false"
            default: continue
            }
        }
        return ValidationRecord(id: id, path: path, model: model, testSets: testSets,
                                trainingN: try r.optionalCount(training?["n"], "data.training.n"),
                                trainingSites: try r.optionalCount(training?["sites"], "data.training.sites"),
                                trainingPeriod: try r.optionalString(training?["period"], "data.training.period"),
                                trainingName: try r.optionalString(training?["name"], "data.training.name"),
                                practice: practice, performance: performance, comparator: comparator, calibration: calibration,
                                uncertainty: uncertainty, explainabilityMethods: try r.strings(xai["methods"], "explainability.methods"),
                                explainabilityEvaluated: try r.optionalString(xai["evaluated"], "explainability.evaluated"),
                                cases: cases, predictionsCSV: try r.optionalString(top["predictions_csv"], "predictions_csv"),
                                limitations: try r.strings(top["limitations"], "limitations"),
                                humanOversight: try r.optionalString(top["human_oversight"], "human_oversight"),
                                monitoring: try r.optionalString(top["monitoring"], "monitoring"), privacy: try r.optionalString(top["privacy"], "privacy"),
                                plainLanguage: plain,
                                provenance: provenance, unknownKeys: top.keys.filter { !knownKeys.contains($0) }.sorted(),
                                provider: try r.optionalString(m["provider"], "model.provider"), contact: try r.optionalString(m["contact"], "model.contact"),
                                comparatorName: try r.optionalObject(top["comparator"], "comparator").flatMap { try r.optionalString($0["name"], "comparator.name") },
                                globalImportance: try r.list(xai["global_importance"], "explainability.global_importance").enumerated().compactMap { k, g in
                                    let p = "explainability.global_importance[\(k)]"
                                    let o = try r.object(g, p)
                                    let feature = try r.string(o["feature"], "\(p).feature")
                                    return (feature, try r.optionalString(o["label"], "\(p).label") ?? feature, try r.number(o["importance"], "\(p).importance"))
                                },
                                trainingSHA256: try r.optionalString(training?["sha256"], "data.training.sha256"),
                                transparencyTexts: try ["cybersecurity", "changes", "lifetime", "logging"].reduce(into: [:]) { out, key in
                                    if let v = try r.optionalString(top[key], key), !v.isEmpty { out[key] = v }
                                })
    }
}
