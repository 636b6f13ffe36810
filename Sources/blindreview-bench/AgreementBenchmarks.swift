import AgreementStats
import Foundation
import SeededRandom

/// `blindreview agreement` on 100,000 items x 5 raters, and 1,000 bootstrap resamples of alpha on 10,000 x 5.
enum AgreementBenchmarks {
    /// Ratings on 1-5: each item has a true score, each rater is right 70% of the time, else off by one.
    static func writeCSV(items: Int, raters: Int, to url: URL, seed: UInt64 = 3, order: RowOrder = .itemByItem) throws {
        var rng = SplitMix64(seed: seed)
        var values = [UInt8](repeating: 0, count: items * raters)
        for item in 0..<items {
            let truth = 1 + rng.below(5)
            for rater in 0..<raters {
                var value = truth
                if rng.below(10) >= 7 { value = max(1, min(5, truth + (rng.below(2) == 0 ? -1 : 1))) }
                values[item * raters + rater] = UInt8(value)
            }
        }
        var rows = Array(0..<(items * raters))
        switch order {
        case .itemByItem: break
        case .raterByRater: rows = (0..<raters).flatMap { rater in (0..<items).map { $0 * raters + rater } }
        case .shuffled:
            for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.below(i + 1)) }
        }
        var out: [UInt8] = Array("item,rater,value\n".utf8)
        out.reserveCapacity(items * raters * 14)
        for row in rows {
            out.append(UInt8(ascii: "i"))
            out.append(contentsOf: String(row / raters).utf8)
            out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: "r")])
            out.append(contentsOf: String(row % raters).utf8)
            out.append(contentsOf: [UInt8(ascii: ","), 48 + values[row], 0x0A])
        }
        try Data(out).write(to: url)
    }

    /// The order of a long CSV's rows.
    enum RowOrder: String, CaseIterable {
        case itemByItem = "item-by-item", raterByRater = "rater-by-rater", shuffled
    }

    static func run(folder: URL, binary: URL?) throws {
        let big = folder.appendingPathComponent("ratings-100k.csv")
        try writeCSV(items: 100_000, raters: 5, to: big)
        var summary: AgreementSummary?
        let inProcess = try Stopwatch.median(runs: 5) {
            let ratings = try RatingsCSV.read(Data(contentsOf: big), file: big.path, categories: ["1", "2", "3", "4", "5"], level: .ordinal)
            summary = AgreementSummary.compute(ratings.data, level: .ordinal)
            _ = summary!.json().rendered()
        }
        Stopwatch.report("agreement: 100,000 x 5, all coefficients (in process)", inProcess, goal: 0.3)
        if let binary {
            let process = try Stopwatch.median(runs: 5) {
                let task = Process()
                task.executableURL = binary
                task.arguments = ["agreement", big.path, "--level", "ordinal", "--categories", "1,2,3,4,5", "--format", "json"]
                task.standardOutput = FileHandle.nullDevice
                try task.run()
                task.waitUntilExit()
                precondition(task.terminationStatus == 0)
            }
            Stopwatch.report("agreement: 100,000 x 5, `blindreview agreement` process", process, goal: 0.3)
        }
        print(String(format: "    (alpha ordinal %.4f, Fleiss %.4f on the generated data)",
                     summary!.coefficients["kripp_alpha_ordinal"]!.value!, summary!.coefficients["fleiss_kappa"]!.value!))

        let small = folder.appendingPathComponent("ratings-10k.csv")
        try writeCSV(items: 10_000, raters: 5, to: small, seed: 4)
        let data = try RatingsCSV.read(Data(contentsOf: small), file: small.path, categories: ["1", "2", "3", "4", "5"]).data
        var interval: BootstrapInterval?
        let boot = Stopwatch.median(runs: 3) {
            interval = PercentileBootstrap.intervals(data, replicates: 1000, seed: 1) { m in
                ["alpha": KrippendorffAlpha.compute(data, level: .ordinal, multiplicity: m)]
            }["alpha"]
        }
        Stopwatch.report("bootstrap: B = 1000 of ordinal alpha, 10,000 x 5", boot, goal: 1.0)
        print(String(format: "    (95%% interval [%.4f, %.4f])", interval!.low!, interval!.high!))
    }
}
