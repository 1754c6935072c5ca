// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The numeric modules (Statistics, Survey, Validation) are compiled with the optimiser in debug builds too. The tests
// run them on real workloads (exact tests, 100,000-column files, DeLong and bootstrap intervals), and unoptimised they
// took the suite from 38 s to 55 s on two cores; a clean debug build takes about 17 s longer. The console, the other
// modules and the tests stay unoptimised. TRUSTGAP_UNOPTIMISED=1 swift build leaves them unoptimised as well, to step
// through them in a debugger.
let optimised: [SwiftSetting] = ProcessInfo.processInfo.environment["TRUSTGAP_UNOPTIMISED"] == nil
    ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : []

let package = Package(
    name: "trustgap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trustgap", targets: ["trustgap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // GNU readline from Debian's libreadline-dev, through a module map.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline",
                       providers: [.apt(["libreadline-dev"])]),
        // Snowball stemmers from Debian's libstemmer-dev, for word frequencies.
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer", providers: [.apt(["libstemmer-dev"])]),
        // SPSS, Stata and SAS files through ReadStat, from Debian's libreadstat-dev.
        .systemLibrary(name: "CReadStat", path: "Sources/CReadStat", providers: [.apt(["libreadstat-dev"])]),
        .systemLibrary(name: "CInflate", path: "Sources/CInflate", providers: [.apt(["zlib1g-dev"])]),
        // The program's own files (explanation profiles and templates, stop words, bundled questionnaires, the TEHAI
        // frame, hyphenation patterns) compiled in by a build plugin, so an installed binary finds them from any folder.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedLibrary", capability: .buildTool(), dependencies: ["EmbedFiles"]),
        .target(name: "BundledLibrary", plugins: ["EmbedLibrary"]),
        // Excel workbooks (--format xlsx) through libxlsxwriter, from Debian's libxlsxwriter-dev.
        .systemLibrary(name: "CXLSXWriter", path: "Sources/CXLSXWriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // Pure numerics: imports nothing of ours.
        .target(name: "Statistics", swiftSettings: optimised),
        .target(name: "Survey", dependencies: ["Statistics", "CReadStat", .product(name: "Yams", package: "Yams")], swiftSettings: optimised),
        .target(name: "Render", dependencies: ["Statistics"]),
        .target(name: "Validation", dependencies: ["Survey", "Statistics"], swiftSettings: optimised),
        .target(name: "Workspace", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Explain", dependencies: ["Validation", "Survey", "Statistics", "Render", .product(name: "Yams", package: "Yams"),
                                                .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "Thematic", dependencies: ["Statistics", "Render", "CStemmer", "CInflate", .product(name: "Yams", package: "Yams"),
                                                 .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Console", dependencies: ["Survey", "Statistics", "Thematic", "Validation", "Explain", "Render", "Workspace", "CReadline", "CXLSXWriter",
                                                "BundledLibrary",
                                                .product(name: "Ink", package: "Ink"),
                                                .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "trustgap", dependencies: ["Console"]),

        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SurveyTests", dependencies: ["Survey"]),
        .testTarget(name: "RenderTests", dependencies: ["Render"]),
        .testTarget(name: "ThematicTests", dependencies: ["Thematic", "ZIPFoundation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace"]),
        .testTarget(name: "ExplainTests", dependencies: ["Explain", .product(name: "Mustache", package: "swift-mustache")],
                    resources: [.copy("Fixtures")]),
        // ZIPFoundation reads and writes archives in the tests only: an independent client of our own zip code.
        .testTarget(name: "EndToEndTests", dependencies: ["trustgap", "Console", "ZIPFoundation"]),
    ]
)
