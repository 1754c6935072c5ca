/// Why a statistic could not be computed. The console words these for the user.
public enum StatisticsError: Error, Equatable, Sendable {
    /// A table needs at least two rows and two columns with a non-zero total after dropping empty ones.
    case degenerateTable(rows: Int, columns: Int)
    /// A count was negative, fractional, NaN or infinite.
    case invalidCount(row: Int, column: Int, value: Double)
    /// Rows of a table have different lengths.
    case ragged(row: Int, expected: Int, found: Int)
    /// A parameter is outside its domain (name, value, what is allowed).
    case invalidParameter(name: String, value: Double, allowed: String)
    /// The user asked to stop (Ctrl-C); nothing was computed.
    case interrupted
    /// A table too large for a method: its total, the largest the method takes, and why.
    case tableTooLarge(test: String, total: Double, largest: Double, reason: String)
}
