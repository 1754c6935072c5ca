import Foundation
import Synchronization

/// A request to stop the computation in progress (Ctrl-C at the prompt). The console's signal handler sets it; every
/// loop that can run for more than about 0.1 s polls it and throws `StatisticsError.interrupted`, so the command is
/// abandoned as a whole and the session keeps the state it had before. An atomic store is async-signal-safe, which
/// is why this is a flag and not a closure.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Called from the SIGINT handler.
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Called before each command, so a Ctrl-C typed at an idle prompt does not cancel the next command.
    public static func reset() { flag.store(false, ordering: .relaxed) }

    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Throws `StatisticsError.interrupted` once a stop has been requested.
    @inline(__always)
    public static func check() throws {
        if flag.load(ordering: .relaxed) { throw StatisticsError.interrupted }
    }
}

/// How much time and memory an exact test may use before it gives way to a Monte Carlo estimate.
///
/// The memory is the network's own storage (nodes and the past scores kept per node), counted as it grows with a
/// per-entry cost measured on this implementation (see `FisherExact`), so the process stays within the budget plus
/// what it held before the test.
public struct ExactBudget: Sendable, Equatable {
    public var seconds: Double
    public var bytes: Int

    public init(seconds: Double, bytes: Int) {
        self.seconds = seconds
        self.bytes = bytes
    }

    /// For the exact test that runs by itself when an expected count is below 5: 2 s and 512 MB.
    public static let automatic = ExactBudget(seconds: 2, bytes: 512 << 20)
    /// For an exact test the user asked for (`--exact`): 60 s and 2 GB.
    public static let requested = ExactBudget(seconds: 60, bytes: 2 << 30)

    /// "30s", "2m", "512MB", "2GB", or both separated by a comma ("60s,2GB"), as `--exact-budget` takes them.
    /// Parts not given keep `base`'s value.
    public static func parse(_ text: String, base: ExactBudget) -> ExactBudget? {
        var budget = base
        for part in text.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).lowercased()
            let units: [(String, Double, Bool)] = [("ms", 0.001, true), ("s", 1, true), ("m", 60, true), ("min", 60, true),
                                                   ("kb", 1024, false), ("mb", 1_048_576, false), ("gb", 1_073_741_824, false)]
            var matched = false
            for (suffix, scale, isTime) in units.sorted(by: { $0.0.count > $1.0.count }) where t.hasSuffix(suffix) {
                guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0 else { return nil }
                if isTime { budget.seconds = v * scale } else {
                    guard v * scale < Double(Int.max) else { return nil }
                    budget.bytes = Int(v * scale)
                }
                matched = true
                break
            }
            if !matched { return nil }
        }
        return budget
    }
}

/// A running budget: elapsed time, memory counted by the caller, and Ctrl-C.
struct BudgetMeter {
    let budget: ExactBudget
    private let start = DispatchTime.now().uptimeNanoseconds
    private var ticks = 0
    var bytes = 0

    init(_ budget: ExactBudget) { self.budget = budget }

    /// The limit reached, if any. Cheap enough for an inner loop: the clock and the interruption flag are read once
    /// about 4,096 units of work have been done since the last reading. `work` is what the caller did since its last
    /// call (one past visited, or a whole list of pasts merged into a node), so a Ctrl-C is seen within milliseconds
    /// however the work is cut.
    @inline(__always)
    mutating func exceeded(work: Int = 1) throws -> FisherExact.BudgetLimit? {
        if bytes > budget.bytes { return .memory(bytes: budget.bytes) }
        ticks &+= work
        guard ticks >= 4096 else { return nil }
        ticks = 0
        try Interruption.check()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return elapsed > budget.seconds ? .time(seconds: budget.seconds) : nil
    }
}
