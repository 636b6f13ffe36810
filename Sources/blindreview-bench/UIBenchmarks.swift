import BlindReviewCore
import BlindReviewTUI
import Foundation
import SeededRandom

/// The annotation UI: time of `update` plus `view` per keypress on a pair of 100 KB responses, and launch to
/// first frame (load study, items, journal; build the state; render) on a 10,000-pair study.
enum UIBenchmarks {
    static func run(folder: URL) throws {
        var rng = SplitMix64(seed: 7)
        let words = ["the", "account", "password", "日本語", "reset", "émigré", "👍", "security", "link", "and", "settings"]
        func text(bytes: Int) -> String {
            var out = ""
            var line = 0
            while out.utf8.count < bytes {
                out += words[rng.below(words.count)]
                line += 1
                out += line % 14 == 0 ? "\n" : " "
            }
            return out
        }
        let big = [CandidatePair(
            sourceID: "big", prompt: [.user(text(bytes: 2_000))], reference: [text(bytes: 4_000)],
            first: ModelResponse(model: "x", turns: [text(bytes: 100_000)]), second: ModelResponse(model: "y", turns: [text(bytes: 100_000)]))]
        let built = try StudyBuilder.build(pairs: big, models: ["x", "y"], options: StudyOptions(name: "big", seed: 1, annotators: ["ann"]))
        let items = try StudyItems(data: built.itemsData, file: "items.jsonl", ids: built.study.itemIDs)
        for (width, height, extras) in [(200, 60, false), (80, 24, false), (200, 60, true)] {
            var state = AnnotationState(study: built.study, items: items, annotator: "ann", journal: JournalState(slotCount: 1), width: width, height: height)
            if extras {
                // Differences shown and a search active: both are computed once, then read from their caches.
                state.showDiff = true
                state.search = SearchState(query: "password")
            }
            let keys: [Key] = [.pageDown, .pageDown, .character(" "), .down, .up, .right, .pageDown, .left, .tab, .pageUp, .end, .home, .tab, .tab, .character("j"), .character("k")]
            var samples: [Double] = []
            var time = 0.0
            _ = AnnotationView.render(state)  // first frame wraps (and caches) the text at this width
            for round in 0..<200 {
                let key = keys[round % keys.count]
                time += 1
                let seconds = Stopwatch.seconds {
                    let (next, _) = AnnotationUpdate.update(state, .key(key, time: time))
                    state = next
                    _ = AnnotationView.render(state)
                }
                samples.append(seconds)
            }
            samples.sort()
            let median = samples[samples.count / 2], p99 = samples[Int(Double(samples.count) * 0.99)]
            print(String(format: "ui keypress (update + view), 2 x 100 KB responses, %dx%d%@    median %6.3f ms  p99 %6.3f ms  goals < 1 ms / < 5 ms: %@",
                         width, height, extras ? " (d + search)" : "", median * 1000, p99 * 1000, median < 0.001 && p99 < 0.005 ? "meets" : "MISSES"))
            if extras { continue }
            var first = AnnotationState(study: built.study, items: items, annotator: "ann", journal: JournalState(slotCount: 1), width: width + 1, height: height)
            let wrapFirst = Stopwatch.seconds { _ = AnnotationView.render(first) }
            first.width = width
            print(String(format: "    (first frame at a new width, wrapping 200 KB: %.1f ms)", wrapFirst * 1000))
        }

        // Launch to first frame on a 10,000-pair study with realistic (about 800-byte) responses.
        let store = try halfJudgedStudy(name: "large", folder: folder, text: { text(bytes: $0) })
        let launch = try Stopwatch.median(runs: 5) {
            let (study, hash) = try store.load()
            let items = try store.loadItems(for: study)
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "a")
            let state = AnnotationState(study: study, items: items, annotator: "a", journal: writer.state, width: 200, height: 60)
            _ = AnnotationView.render(state)
        }
        Stopwatch.report("ui launch to first frame, 10,000-pair study (in process)", launch, goal: 0.2)
    }

    /// A 10,000-pair, 5-annotator study with realistic (about 800-byte) responses whose annotator "a" has judged
    /// half the queue (5,000 preferences), so folding the journal is part of a launch.
    static func halfJudgedStudy(name: String, folder: URL, text: (Int) -> String) throws -> StudyStore {
        let pairs = (0..<10_000).map { i in
            CandidatePair(sourceID: "q\(i)", prompt: [.user(text(150))], reference: nil,
                          first: ModelResponse(model: "base", turns: [text(800)]), second: ModelResponse(model: "tuned", turns: [text(800)]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: name, seed: 2, annotators: ["a", "b", "c", "d", "e"]))
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/\(name)"))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let hash = SHA256Digest.hex(of: built.studyData)
        var journal = String(decoding: CanonicalJSON.encode(JournalHeader(study: name, studySHA256: hash, annotator: "a", created: nil)), as: UTF8.self) + "\n"
        let queue = built.study.plan(for: "a")!.queue
        for slot in 0..<5_000 {
            var event = JournalEvent.preference(slot: slot, item: queue[slot].item, option: "tie")
            event.seq = slot + 1
            event.t = "2026-11-22T10:00:00.000Z"
            journal += String(decoding: CanonicalJSON.encode(event), as: UTF8.self) + "\n"
        }
        try Data(journal.utf8).write(to: store.journalFile(for: "a"))
        return store
    }

    /// The annotation UI's rows of the goals table: launch to first frame on a 10,000-pair study half judged,
    /// update + view per key on two 100 KB responses at 200x60, and a 5 MB single-line response's first frame
    /// and first frame after a resize.
    static func goals(folder: URL, runs: Int) throws {
        var rng = SplitMix64(seed: 7)
        let words = ["the", "account", "password", "日本語", "reset", "émigré", "👍", "security", "link", "and", "settings"]
        func text(bytes: Int, newlines: Bool = true) -> String {
            var parts: [String] = []
            var size = 0, line = 0
            while size < bytes {
                let word = words[rng.below(words.count)]
                parts.append(word)
                line += 1
                parts.append(newlines && line % 14 == 0 ? "\n" : " ")
                size += word.utf8.count + 1
            }
            return parts.joined()
        }
        // Launch: load study, items and journal, build the state, render.
        let store = try halfJudgedStudy(name: "launch", folder: folder, text: { text(bytes: $0) })
        var launches: [Double] = []
        for _ in 0..<max(runs, 5) {
            launches.append(try Stopwatch.seconds {
                let (study, hash) = try store.load()
                let items = try store.loadItems(for: study)
                let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "a")
                let state = AnnotationState(study: study, items: items, annotator: "a", journal: writer.state, width: 200, height: 60)
                _ = AnnotationView.render(state)
            })
        }
        let launch = Measurement(launches)
        GoalTable.add("`annotate`: launch to first frame, 10k-pair study, half judged (in process)", goal: "< 150 ms",
                      measured: launch.text(milliseconds: true), pass: launch.median < 0.15)

        // Keypresses on two 100 KB responses at 200x60.
        let big = [CandidatePair(
            sourceID: "big", prompt: [.user(text(bytes: 2_000))], reference: [text(bytes: 4_000)],
            first: ModelResponse(model: "x", turns: [text(bytes: 100_000)]), second: ModelResponse(model: "y", turns: [text(bytes: 100_000)]))]
        let built = try StudyBuilder.build(pairs: big, models: ["x", "y"], options: StudyOptions(name: "big", seed: 1, annotators: ["ann"]))
        let items = try StudyItems(data: built.itemsData, file: "items.jsonl", ids: built.study.itemIDs)
        var state = AnnotationState(study: built.study, items: items, annotator: "ann", journal: JournalState(slotCount: 1), width: 200, height: 60)
        let keys: [Key] = [.pageDown, .pageDown, .character(" "), .down, .up, .right, .pageDown, .left, .tab, .pageUp, .end, .home, .tab, .tab, .character("j"), .character("k")]
        _ = AnnotationView.render(state)
        var samples: [Double] = []
        var time = 0.0
        for round in 0..<(200 * runs) {
            let key = keys[round % keys.count]
            time += 1
            samples.append(Stopwatch.seconds {
                let (next, _) = AnnotationUpdate.update(state, .key(key, time: time))
                state = next
                _ = AnnotationView.render(state)
            })
        }
        samples.sort()
        let median = samples[samples.count / 2], p99 = samples[Int(Double(samples.count) * 0.99)]
        GoalTable.add("`annotate`: update + view per key, two 100 KB responses, 200x60", goal: "median < 1 ms, p99 < 5 ms",
                      measured: String(format: "median %.2f ms, p99 %.2f ms (%d keys)", median * 1000, p99 * 1000, samples.count),
                      pass: median < 0.001 && p99 < 0.005)

        // One 5 MB response on a single line.
        let huge = [CandidatePair(
            sourceID: "huge", prompt: [.user("summarise")], reference: nil,
            first: ModelResponse(model: "x", turns: [text(bytes: 5_000_000, newlines: false)]), second: ModelResponse(model: "y", turns: ["short"]))]
        let hugeStudy = try StudyBuilder.build(pairs: huge, models: ["x", "y"], options: StudyOptions(name: "huge", seed: 1, annotators: ["ann"]))
        let hugeItems = try StudyItems(data: hugeStudy.itemsData, file: "items.jsonl", ids: hugeStudy.study.itemIDs)
        var firsts: [Double] = [], resizes: [Double] = []
        for _ in 0..<runs {
            var state = AnnotationState(study: hugeStudy.study, items: hugeItems, annotator: "ann", journal: JournalState(slotCount: 1), width: 200, height: 60)
            firsts.append(Stopwatch.seconds { _ = AnnotationView.render(state) })
            resizes.append(Stopwatch.seconds {
                let (next, _) = AnnotationUpdate.update(state, .resize(width: 120, height: 40))
                state = next
                _ = AnnotationView.render(state)
            })
        }
        let first = Measurement(firsts), resize = Measurement(resizes)
        GoalTable.add("`annotate`: a 5 MB single-line response, first frame and first frame after a resize", goal: "< 100 ms each",
                      measured: "first \(first.text(milliseconds: true)), resize \(resize.text(milliseconds: true))",
                      pass: first.median < 0.1 && resize.median < 0.1)
    }
}
