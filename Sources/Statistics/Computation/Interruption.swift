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

/// How much work and memory an exact test may use before it gives way to a Monte Carlo estimate, and, only when the
/// user asks for one, a wall-clock limit.
///
/// Work is counted in steps of the enumeration (a past decided at a node, a split of a column evaluated, a completion
/// merged or searched), never read from a clock, so the same table gets the same answer, exact or Monte Carlo, on a
/// busy machine and a quiet one. A budget is written in seconds of work on the reference machine (2 cores, the
/// project's CI kind; `stepsPerSecond`): `2s` is 2 × `stepsPerSecond` steps, however long they take here.
/// The memory is everything the computation holds (the network's nodes and pasts, its working arrays, and the bound
/// and completion caches), counted before it is allocated, so the process stays within the budget plus what it held
/// before the test.
public struct ExactBudget: Sendable, Equatable {
    /// Steps of the enumeration.
    public var steps: Int
    public var bytes: Int
    /// Wall-clock seconds after which the enumeration stops (`--timeout`); nil: none. The only limit that depends
    /// on the machine's load, and the output says when it was reached.
    public var timeout: Double?

    /// Steps per second of the reference machine, measured on the tables of `benchmarks/fisher_budget.py` (release
    /// build, the machine otherwise idle): the median over tables that run for 0.5–20 s, with the slowest kind of
    /// step about 3 times and the quickest about a third of it.
    public static let stepsPerSecond = 60_000_000

    public init(steps: Int, bytes: Int, timeout: Double? = nil) {
        self.steps = steps
        self.bytes = bytes
        self.timeout = timeout
    }

    /// A budget of `seconds` of work on the reference machine.
    public init(seconds: Double, bytes: Int, timeout: Double? = nil) {
        self.init(steps: Self.steps(seconds: seconds), bytes: bytes, timeout: timeout)
    }

    /// The work as seconds on the reference machine (what the output names).
    public var seconds: Double { Double(steps) / Double(Self.stepsPerSecond) }

    static func steps(seconds: Double) -> Int {
        let s = seconds * Double(stepsPerSecond)
        return s >= Double(Int.max / 2) ? Int.max / 2 : max(1, Int(s.rounded()))
    }

    /// For the exact test that runs by itself when an expected count is below 5: 2 s of work and 512 MB.
    public static let automatic = ExactBudget(seconds: 2, bytes: 512 << 20)
    /// For an exact test the user asked for (`--exact`): 60 s of work and 2 GB.
    public static let requested = ExactBudget(seconds: 60, bytes: 2 << 30)

    /// "30s", "2m", "512MB", "2GB", or both separated by a comma ("60s,2GB"), as `--exact-budget` takes them: a time
    /// is work on the reference machine. Parts not given keep `base`'s value.
    public static func parse(_ text: String, base: ExactBudget) -> ExactBudget? {
        var budget = base
        for part in text.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).lowercased()
            if let seconds = parseSeconds(t) {
                budget.steps = steps(seconds: seconds)
                continue
            }
            let units: [(String, Double)] = [("kb", 1024), ("mb", 1_048_576), ("gb", 1_073_741_824)]
            guard let (suffix, scale) = units.first(where: { t.hasSuffix($0.0) }),
                  let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0,
                  v * scale < Double(Int.max / 2) else { return nil }
            budget.bytes = Int(v * scale)
        }
        return budget
    }

    /// "250ms", "30s", "2m", "2min" as seconds; nil for anything else (sizes, garbage, 0, infinity).
    public static func parseSeconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("s", 1), ("m", 60)]
        guard let (suffix, scale) = units.first(where: { t.hasSuffix($0.0) }),
              let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0,
              v * scale < 1e9 else { return nil }
        return v * scale
    }
}

/// A running budget: steps of work, memory counted by the caller, Ctrl-C, and the user's timeout if any. A class, so
/// the caches that outlive a stage can count their bytes in the same meter as the network.
final class BudgetMeter {
    let budget: ExactBudget
    /// Steps counted so far: deterministic, the same on any machine and any load.
    private(set) var steps = 0
    private var sinceCheck = 0
    /// The network's storage and working arrays, set by its owner as they change.
    var bytes = 0
    /// Caches that outlive a stage (bounds, completions), added to as they grow.
    var cacheBytes = 0
    private let start: UInt64?

    init(_ budget: ExactBudget) {
        self.budget = budget
        start = budget.timeout == nil ? nil : DispatchTime.now().uptimeNanoseconds
    }

    /// Whether `more` bytes on top of what is counted would pass the memory budget.
    @inline(__always)
    func wouldExceedMemory(adding more: Int) -> Bool { bytes + cacheBytes + more > budget.bytes }

    /// The limit reached, if any, after `work` more steps. Cheap enough for an inner loop: Ctrl-C and the timeout's
    /// clock are read once about 4,096 steps have been done since the last reading, so a Ctrl-C is seen within
    /// milliseconds however the work is cut.
    @inline(__always)
    func exceeded(work: Int = 1) throws -> FisherExact.BudgetLimit? {
        if bytes + cacheBytes > budget.bytes { return .memory(bytes: budget.bytes) }
        steps &+= work
        if steps > budget.steps { return .work(seconds: budget.seconds) }
        sinceCheck &+= work
        guard sinceCheck >= 4096 else { return nil }
        sinceCheck = 0
        try Interruption.check()
        if let start, let timeout = budget.timeout, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > timeout {
            return .timeout(seconds: timeout)
        }
        return nil
    }

    /// As `exceeded`, throwing `BudgetMeter.Over` instead of returning the limit: for recursive walks.
    @inline(__always)
    func charge(_ work: Int = 1) throws {
        if let limit = try exceeded(work: work) { throw Over(limit: limit) }
    }

    /// Thrown by `charge` and caught where the enumeration gives way to Monte Carlo.
    struct Over: Error { let limit: FisherExact.BudgetLimit }
}
