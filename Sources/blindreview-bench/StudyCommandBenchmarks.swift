import Foundation
import SeededRandom

/// The study commands as processes, measured from outside: `create`, `import`, `report` and `export` on a
/// 10,000-pair x 5-annotator study, and `create`, `status`, `report` and `export` on a 100,000-pair study that
/// every annotator has fully scored (500,000 judgments, about 5M journal events), with peak memory.
enum StudyCommandBenchmarks {
    static let annotators = ["a1", "a2", "a3", "a4", "a5"]
    static let criteria = ["accuracy", "relevance", "format", "fluency"]

    /// Two model files of `pairs` prompts (the same prompt for an id in both), responses of about `words` words.
    static func writeModels(pairs: Int, words count: Int, folder: URL) throws {
        var rng = SplitMix64(seed: 99)
        let words = ["account", "password", "reset", "email", "the", "a", "settings", "security", "to", "your", "and", "link", "sign", "in", "code"]
        func text(_ count: Int) -> String { (0..<count).map { _ in words[rng.below(words.count)] }.joined(separator: " ") }
        let prompts = (0..<pairs).map { _ in text(20) }
        for model in ["base", "tuned"] {
            var lines = ""
            lines.reserveCapacity(pairs * (count * 7 + 200))
            for i in 0..<pairs {
                let object: [String: Any] = ["id": "q\(i)", "prompt": prompts[i], "response": text(count)]
                lines += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
            }
            try Data(lines.utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
        }
    }

    /// Judgments in `import`'s CSV form: every annotator judges every pair, a preference and the four criteria
    /// for both responses; `response_b` (tuned) is a little better.
    static func writeJudgments(pairs: Int, to url: URL) throws {
        var rng = SplitMix64(seed: 5)
        var out = "id,annotator,preference," + criteria.flatMap { ["\($0)_a", "\($0)_b"] }.joined(separator: ",") + "\n"
        out.reserveCapacity(pairs * annotators.count * 40)
        for i in 0..<pairs {
            for annotator in annotators {
                let pick = rng.below(10)
                out += "q\(i),\(annotator),\(pick < 2 ? "tie" : pick < 7 ? "b" : "a")"
                for _ in criteria { out += ",\(2 + rng.below(3)),\(3 + rng.below(3))" }
                out += "\n"
            }
        }
        try Data(out.utf8).write(to: url)
    }

    static func create(_ binary: URL, folder: URL, name: String) throws -> ChildRun {
        try ChildRun.run(binary, [
            "create", folder.appendingPathComponent("sessions/\(name)").path,
            "--model", "base=" + folder.appendingPathComponent("base.jsonl").path,
            "--model", "tuned=" + folder.appendingPathComponent("tuned.jsonl").path,
            "--annotators", annotators.joined(separator: ","),
        ])
    }

    static func study(_ folder: URL, _ name: String) -> String { folder.appendingPathComponent("sessions/\(name)").path }

    /// The 10,000-pair rows: create, import 50,000 judgments, report (B = 1000), export dpo and csv.
    static func run(folder: URL, binary: URL, runs: Int) throws {
        try writeModels(pairs: 10_000, words: 120, folder: folder)
        var times: [Double] = []
        for round in 0..<runs {
            let run = try create(binary, folder: folder, name: "create\(round)")
            guard run.status == 0 else { throw BenchError("create exited with \(run.status)") }
            times.append(run.seconds)
        }
        GoalTable.add("`create` 10k pairs x 5 annotators from two model files (keyed ids, leak scan)", goal: "< 0.5 s",
                      measured: Measurement(times).text(), pass: Measurement(times).median < 0.5)

        let judgments = folder.appendingPathComponent("judgments.csv")
        try writeJudgments(pairs: 10_000, to: judgments)
        times = []
        for round in 0..<runs {
            // Each import goes into a fresh copy of the study (an import of the same rows again does nothing).
            guard try create(binary, folder: folder, name: "import\(round)").status == 0 else { throw BenchError("create failed") }
            let run = try ChildRun.run(binary, ["import", study(folder, "import\(round)"), judgments.path])
            guard run.status == 0 else { throw BenchError("import exited with \(run.status)") }
            times.append(run.seconds)
        }
        GoalTable.add("`import` 50,000 judgments (preference and 4 criteria for both responses) into a 10k-pair study",
                      goal: "< 1 s", measured: Measurement(times).text(), pass: Measurement(times).median < 1)

        let full = study(folder, "import0")
        let (report, _) = try ChildRun.measure(runs: runs, binary, ["report", full, "--format", "json", "--bootstrap", "1000"])
        GoalTable.add("`report` 10k pairs x 5 annotators x 4 criteria, JSON, B = 1000, pair-cluster bootstrap", goal: "< 1.5 s",
                      measured: report.text(), pass: report.median < 1.5)
        let (dpo, _) = try ChildRun.measure(runs: runs, binary, ["export", full, "--format", "dpo"])
        let (csv, _) = try ChildRun.measure(runs: runs, binary, ["export", full, "--format", "csv"])
        GoalTable.add("`export` dpo and csv, same study", goal: "< 0.5 s each",
                      measured: "dpo \(dpo.text()), csv \(csv.text())", pass: dpo.median < 0.5 && csv.median < 0.5)
        for round in 0..<runs {
            try? FileManager.default.removeItem(atPath: study(folder, "create\(round)"))
            if round > 0 { try? FileManager.default.removeItem(atPath: study(folder, "import\(round)")) }
        }
    }

    /// The 100,000-pair study, every pair fully scored by all five: each command once (they take seconds).
    static func large(folder: URL, binary: URL) throws {
        let big = folder.appendingPathComponent("large")
        try FileManager.default.createDirectory(at: big, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: big) }
        // Written by a child process, so that this one stays small (see AgreementScaleBenchmarks.writeCSV).
        let written = try ChildRun.run(ChildRun.bench, ["write-study-inputs", big.path, "100000"])
        guard written.status == 0 else { throw BenchError("write-study-inputs exited with \(written.status)") }
        let judgments = big.appendingPathComponent("judgments.csv")
        var parts: [String] = []
        var pass = true
        func note(_ name: String, _ run: ChildRun) throws {
            guard run.status == 0 else { throw BenchError("\(name) exited with \(run.status)") }
            parts.append(String(format: "%@ %.2f s / %@", name, run.seconds, megabytes(run.peakBytes)))
            pass = pass && run.seconds < 10 && run.peakBytes < 2_000_000_000
        }
        try note("create", try create(binary, folder: big, name: "large"))
        let path = study(big, "large")
        let imported = try ChildRun.run(binary, ["import", path, judgments.path])
        guard imported.status == 0 else { throw BenchError("import exited with \(imported.status)") }
        try note("status", try ChildRun.run(binary, ["status", path]))
        try note("report", try ChildRun.run(binary, ["report", path, "--format", "json", "--bootstrap", "200"]))
        try note("export dpo", try ChildRun.run(binary, ["export", path, "--format", "dpo"]))
        try note("export csv", try ChildRun.run(binary, ["export", path, "--format", "csv"]))
        GoalTable.add("100k pairs x 5 annotators, every pair fully scored (500,000 judgments, 5M journal events): create, status, report (B = 200), export; time / peak memory",
                      goal: "each < 10 s, < 2 GB", measured: parts.joined(separator: "; ") + String(format: " (import of the 500,000 judgments: %.1f s / %@)", imported.seconds, megabytes(imported.peakBytes)),
                      pass: pass)
    }
}
