import BlindReviewCore
import Foundation
import SeededRandom

/// Creating a 10,000-pair x 5-annotator study from files, and loading a 10,000-event journal.
enum FoundationBenchmarks {
    static func run(folder: URL) throws {
        var rng = SplitMix64(seed: 99)
        let words = ["account", "password", "reset", "email", "the", "a", "settings", "security", "to", "your", "and", "link", "sign", "in", "code"]
        func text(_ count: Int) -> String {
            (0..<count).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
        }
        // Two model files of 10,000 prompts (the same prompt for an id in both), responses of about 120 words.
        let prompts = (0..<10_000).map { _ in text(20) }
        for model in ["base", "tuned"] {
            var lines = ""
            for i in 0..<10_000 {
                let object: [String: Any] = ["id": "q\(i)", "prompt": prompts[i], "response": text(120)]
                lines += String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n"
            }
            try Data(lines.utf8).write(to: folder.appendingPathComponent("\(model).jsonl"))
        }
        var round = 0
        let create = try Stopwatch.median(runs: 5) {
            round += 1
            let outputs = try ["base", "tuned"].map { try ModelOutputs.load(model: $0, path: folder.appendingPathComponent("\($0).jsonl").path) }
            let pairs = try ComparisonSource.pairs(outputs: outputs, questions: nil, references: nil, baseline: nil)
            let built = try StudyBuilder.build(
                pairs: pairs, models: ["base", "tuned"],
                options: StudyOptions(name: "bench\(round)", secret: .random(), annotators: ["a", "b", "c", "d", "e"], repeats: 10))
            let store = StudyStore(folder: folder.appendingPathComponent("sessions/bench\(round)"))
            try store.create(built, keyFile: store.defaultKeyFile, force: false)
        }
        Stopwatch.report("create: 10,000 pairs x 5 annotators (files in, study out)", create, goal: 1.0)

        // A journal of 10,000 events for annotator a of the first study.
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/bench1"))
        let (study, hash) = try store.load()
        let queue = study.plan(for: "a")!.queue
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var journal = String(decoding: CanonicalJSON.encode(JournalHeader(study: study.name, studySHA256: hash, annotator: "a", created: "2026-11-22T00:00:00.000Z")), as: UTF8.self) + "\n"
        let criteria = study.rubric.criteria.map(\.id)
        for seq in 1...10_000 {
            let slot = (seq / 10) % queue.count
            let entry = queue[slot]
            var event: JournalEvent
            switch seq % 10 {
            case 9: event = .preference(slot: slot, item: entry.item, option: "a")
            case 8: event = JournalEvent(type: .leave, slot: slot, item: entry.item, activeSeconds: 12.5)
            default: event = .rating(slot: slot, item: entry.item, response: seq % 2 == 0 ? entry.a : entry.b, criterion: criteria[seq % 4], value: 1 + seq % 5)
            }
            event.seq = seq
            event.t = "2026-11-22T10:00:00.000Z"
            journal += String(decoding: try encoder.encode(event), as: UTF8.self) + "\n"
        }
        let url = store.journalFile(for: "a")
        try Data(journal.utf8).write(to: url)
        var events = 0
        let load = try Stopwatch.median(runs: 7) {
            events = try JournalLoader.load(url, study: study, studySHA256: hash, annotator: "a").events.count
        }
        precondition(events == 10_000)
        Stopwatch.report("journal: load and fold 10,000 events", load, goal: 0.1)
    }
}
