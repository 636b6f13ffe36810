import Foundation

/// Several timings of one piece of work: the median to quote, with the fastest and slowest run.
///
///     Measurement([0.5, 0.4, 0.7]).text   // "0.50 s (0.40-0.70)"
struct Measurement {
    var samples: [Double]
    var median: Double
    var min: Double
    var max: Double

    init(_ samples: [Double]) {
        precondition(!samples.isEmpty)
        let sorted = samples.sorted()
        self.samples = sorted
        median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        min = sorted.first!
        max = sorted.last!
    }

    /// Seconds, or milliseconds below one second when `milliseconds` is set.
    func text(milliseconds: Bool = false) -> String {
        milliseconds
            ? String(format: "%.1f ms (%.1f-%.1f)", median * 1000, min * 1000, max * 1000)
            : String(format: "%.2f s (%.2f-%.2f)", median, min, max)
    }
}

/// The goals table of the scale issue: one row per goal, each with its measured median (min-max over several
/// runs) and a verdict. Rows print as they are measured; `printMarkdown()` prints them again as table rows to
/// paste into the README.
enum GoalTable {
    enum Verdict: String { case pass = "PASS", miss = "MISS", skip = "SKIP" }

    struct Row {
        var work: String
        var goal: String
        var measured: String
        var verdict: Verdict
    }

    nonisolated(unsafe) static var rows: [Row] = []

    static func add(_ work: String, goal: String, measured: String, pass: Bool?) {
        let row = Row(work: work, goal: goal, measured: measured, verdict: pass.map { $0 ? .pass : .miss } ?? .skip)
        rows.append(row)
        print("\(row.verdict.rawValue)  \(work)\n      goal \(goal); measured \(measured)")
        fflush(nil)
    }

    static func printMarkdown(command: String) {
        var info = utsname()
        uname(&info)
        let machine = withUnsafeBytes(of: &info.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let formatter = ISO8601DateFormatter()
        print("\nMeasured \(formatter.string(from: Date())) on \(ProcessInfo.processInfo.activeProcessorCount) cores (\(machine), \(ProcessInfo.processInfo.physicalMemory / 1_000_000_000) GB), release build, `\(command)`; median (min-max) of the runs:\n")
        print("| work | goal | measured | verdict |")
        print("|---|---|---|---|")
        for row in rows {
            print("| \(row.work) | \(row.goal) | \(row.measured) | \(row.verdict.rawValue) |")
        }
    }
}

/// Bytes as MB (10^6), for memory figures.
func megabytes(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
