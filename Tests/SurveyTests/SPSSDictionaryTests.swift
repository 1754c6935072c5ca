import Foundation
import Testing
@testable import Survey

/// A system file's dictionary as the PSPP developers' guide lays it out: the 176-byte header, one numeric variable
/// record, a long-names record (subtype 13), the sets (subtype 7) and the end record, in either byte order.
private func systemFile(sets: String, bigEndian: Bool = false) -> [UInt8] {
    func int32(_ v: Int) -> [UInt8] {
        let u = UInt32(bitPattern: Int32(v))
        let little = (0..<4).map { UInt8(truncatingIfNeeded: u >> (8 * $0)) }
        return bigEndian ? little.reversed() : little
    }
    var header = Array("$FL2".utf8) + Array(repeating: 0x20, count: 60) + int32(2)
    header += Array(repeating: 0, count: 176 - header.count)
    var out = header
    out += int32(2) + int32(0) + int32(1) + int32(0) + int32(0) + int32(0) + Array("RAD     ".utf8) + int32(5) + Array("Role\0\0\0\0".utf8)
    let long = Array("RAD=Radiology_role".utf8)
    out += int32(7) + int32(13) + int32(1) + int32(long.count) + long
    let body = Array(sets.utf8)
    out += int32(7) + int32(7) + int32(1) + int32(body.count) + body
    out += int32(999) + int32(0)
    return out
}

private func sets(_ bytes: [UInt8]) throws -> [SPSSMultipleResponseSet] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tg-sav-\(UUID().uuidString).sav")
    try Data(bytes).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try SPSSMultipleResponseSet.read(path: url.path)
}

@Test func multipleResponseSetsAreReadInEitherByteOrder() throws {
    let text = "$roles=D1 1 25 Which roles describe you? rad path eng\n$tools=C 13 Tools you use t1 t2\n$e=E 11 3 Yes 0  a b\n"
    for bigEndian in [false, true] {
        let found = try sets(systemFile(sets: text, bigEndian: bigEndian))
        #expect(found.map(\.name) == ["roles", "tools", "e"])
        #expect(found[0] == SPSSMultipleResponseSet(name: "roles", label: "Which roles describe you?", kind: .dichotomy(countedValue: "1"),
                                                      variables: ["Radiology_role", "path", "eng"]))
        #expect(found[1].kind == .category && found[1].variables == ["t1", "t2"] && found[1].label == "Tools you use")
        #expect(found[2].kind == .dichotomy(countedValue: "Yes") && found[2].label.isEmpty && found[2].variables == ["a", "b"])
    }
}

/// Every truncation of a file, and counts that point past its end, give an error naming the byte: never a crash or
/// a read outside the file.
@Test func brokenDictionariesAreErrorsWithTheirByte() throws {
    let whole = systemFile(sets: "$roles=D1 1 25 Which roles describe you? rad path eng\n")
    for cut in stride(from: 0, to: whole.count - 1, by: 3) {
        do { _ = try sets(Array(whole.prefix(cut))); Issue.record("a file cut at \(cut) was read") } catch let e as SurveyError {
            if case .unreadable(_, let reason) = e { #expect(reason.contains("byte") || reason.contains("not an SPSS"), "\(reason)") }
        }
    }
    for lie in ["$roles=D9 1 25 Which roles describe you? rad\n", "$roles=D1 1 2500 Which\n", "$roles=X\n", "$roles\n"] {
        #expect(throws: SurveyError.self) { try sets(systemFile(sets: lie)) }
    }
}
