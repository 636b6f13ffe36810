import Foundation

/// `blindreview agreement` as a process at scale: 1M items x 10 raters with rows item by item, rater by rater
/// and shuffled (time and peak memory against the file's size), the doublings from 125k to 1M items (each at
/// most 2.3x the time), and 100k x 5 against the Python stack on the same file.
enum AgreementScaleBenchmarks {
    static let arguments = ["--level", "ordinal", "--categories", "1,2,3,4,5", "--format", "json"]

    static func run(folder: URL, binary: URL, runs: Int) throws {
        // Doublings, shuffled rows (the hardest order for locality).
        var times: [(items: Int, time: Measurement)] = []
        for items in [125_000, 250_000, 500_000, 1_000_000] {
            let file = folder.appendingPathComponent("ratings-\(items)-shuffled.csv")
            try writeCSV(file, items: items, raters: 10, order: .shuffled)
            let (time, _) = try ChildRun.measure(runs: runs, binary, ["agreement", file.path] + arguments)
            times.append((items, time))
            if items < 1_000_000 { try? FileManager.default.removeItem(at: file) }
        }
        let ratios = zip(times, times.dropFirst()).map { $1.time.median / $0.time.median }
        GoalTable.add(
            "`agreement` 125k, 250k, 500k, 1M items x 10 raters, shuffled: time per doubling", goal: "at most 2.3x",
            measured: times.map { String(format: "%.2f", $0.time.median) }.joined(separator: ", ") + " s: "
                + ratios.map { String(format: "%.2fx", $0) }.joined(separator: ", "),
            pass: ratios.allSatisfy { $0 <= 2.3 })

        for order in AgreementBenchmarks.RowOrder.allCases {
            let file = folder.appendingPathComponent("ratings-1000000-\(order.rawValue).csv")
            if !FileManager.default.fileExists(atPath: file.path) {
                try writeCSV(file, items: 1_000_000, raters: 10, order: order)
            }
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            let (time, peak) = try ChildRun.measure(runs: runs, binary, ["agreement", file.path] + arguments)
            GoalTable.add(
                "`agreement` 1M items x 10 raters (\(megabytes(size)) CSV), all coefficients, rows \(order.rawValue)",
                goal: "< 2.5 s, peak memory < 2x the file",
                measured: "\(time.text()), peak \(megabytes(peak)) (\(String(format: "%.2f", Double(peak) / Double(size)))x)",
                pass: time.median < 2.5 && Double(peak) < 2 * Double(size))
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// Writes a ratings CSV from a child process (`blindreview-bench write-csv`), so that this process does not
    /// grow by the file's size: a child started from a large process is charged that process's memory in its
    /// own peak (`ru_maxrss` keeps the high-water mark of the memory it replaced at `exec`).
    static func writeCSV(_ file: URL, items: Int, raters: Int, order: AgreementBenchmarks.RowOrder) throws {
        let run = try ChildRun.run(ChildRun.bench, ["write-csv", file.path, String(items), String(raters), order.rawValue])
        guard run.status == 0 else { throw BenchError("write-csv exited with \(run.status)") }
    }

    /// The package's root folder (where `scripts/` is), from this source file's place in it.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// 100,000 items x 5 raters: `blindreview agreement` and the Python stack on the same file, alternately, and
    /// the same Fleiss kappa and ordinal alpha from both. Skipped (with the reason) when Python or one of its
    /// packages is missing.
    static func comparePython(folder: URL, binary: URL, runs: Int) throws {
        let work = "`agreement` 100k items x 5 raters against Python (pandas, statsmodels, scikit-learn, krippendorff), same file"
        let goal = "at least 25x faster, same values"
        let script = packageRoot.appendingPathComponent("scripts/bench/agreement_python.py")
        guard let python = findPython() else {
            GoalTable.add(work, goal: goal, measured: "skipped: no python3 on PATH", pass: nil)
            return
        }
        let probe = try ChildRun.run(python, ["-c", "import numpy, pandas, statsmodels, sklearn, krippendorff"])
        guard probe.status == 0 else {
            GoalTable.add(work, goal: goal, measured: "skipped: python3 lacks numpy, pandas, statsmodels, scikit-learn or krippendorff (pip install pandas statsmodels scikit-learn krippendorff)", pass: nil)
            return
        }
        let file = folder.appendingPathComponent("ratings-100k.csv")
        try writeCSV(file, items: 100_000, raters: 5, order: .itemByItem)
        let ours = folder.appendingPathComponent("ours.json"), theirs = folder.appendingPathComponent("theirs.txt")
        var oursTimes: [Double] = [], theirTimes: [Double] = []
        for _ in 0..<runs {
            let a = try ChildRun.run(binary, ["agreement", file.path] + arguments, output: ours.path)
            let b = try ChildRun.run(python, [script.path, file.path], output: theirs.path)
            guard a.status == 0, b.status == 0 else { throw BenchError("compare-python: a run failed (ours \(a.status), python \(b.status))") }
            oursTimes.append(a.seconds)
            theirTimes.append(b.seconds)
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: ours)) as? [String: Any]
        func value(_ key: String) -> Double? { (object?[key] as? NSNumber)?.doubleValue }
        let text = try String(contentsOf: theirs, encoding: .utf8)
        func pythonValue(_ name: String) -> Double? {
            guard let range = text.range(of: name + " ") else { return nil }
            return Double(text[range.upperBound...].prefix { "0123456789.-".contains($0) })
        }
        let same = [("fleiss", "fleiss_kappa"), ("alpha ordinal", "kripp_alpha_ordinal")].allSatisfy { theirName, ourKey in
            guard let a = pythonValue(theirName), let b = value(ourKey) else { return false }
            return abs(a - b) < 5e-4
        }
        let mine = Measurement(oursTimes), other = Measurement(theirTimes)
        let ratio = other.median / mine.median
        GoalTable.add(
            work, goal: goal,
            measured: String(format: "%.1fx: ours %@, Python %@; Fleiss %.4f, ordinal alpha %.4f: %@", ratio, mine.text(), other.text(),
                             value("fleiss_kappa") ?? .nan, value("kripp_alpha_ordinal") ?? .nan, same ? "same in both" : "DIFFERENT"),
            pass: ratio >= 25 && same)
    }

    static func findPython() -> URL? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
