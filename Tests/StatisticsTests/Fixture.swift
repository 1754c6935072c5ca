import Foundation

/// A committed reference fixture (Fixtures/NAME.json), decoded; a missing or malformed one stops the tests with the
/// script that makes it.
func fixture<T: Decodable>(_ name: String, rerun script: String) -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
          let data = try? Data(contentsOf: url), let decoded = try? JSONDecoder().decode(T.self, from: data) else {
        preconditionFailure("Fixtures/\(name).json is missing or malformed; rerun scripts/\(script)")
    }
    return decoded
}
