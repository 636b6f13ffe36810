import BlindReviewCore
import Foundation

/// The cost of the amendment log: loading a 10,000-pair x 5-annotator study without a log and with 100
/// amendments applied, and one `add-pairs` of 1,000 pairs (blinding, leak scan, balanced assignment, files).
enum AmendmentBenchmarks {
    static func run(folder: URL) throws {
        func pairs(_ range: Range<Int>) -> [CandidatePair] {
            range.map { index in
                CandidatePair(
                    sourceID: "q\(index)", prompt: [.user("Question number \(index): how do I reset my password?")], reference: nil,
                    first: ModelResponse(model: "base", turns: [String(repeating: "Open settings and choose reset. ", count: 20)]),
                    second: ModelResponse(model: "tuned", turns: [String(repeating: "Go to security, then reset it. ", count: 20)]))
            }
        }
        let built = try StudyBuilder.build(
            pairs: pairs(0..<10_000), models: ["base", "tuned"],
            options: StudyOptions(name: "amend", secret: .random(), annotators: ["a", "b", "c", "d", "e"], perItem: 2, repeats: 10))
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/amend"))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let plain = try Stopwatch.median(runs: 5) { _ = try store.load() }
        Stopwatch.report("study: load 10,000 pairs x 5 (no amendment log)", plain, goal: 1.0)

        // 100 amendments: 90 withdraws, 5 annotators added, 5 overlaps to 3 raters on 200 pairs each.
        let key = try StudyStore.loadKey(at: store.defaultKeyFile, for: built.study)
        for number in 0..<100 {
            let (study, hash) = try store.load()
            let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
            let seq = log.entries.count + 1
            let change: AmendmentChange
            if number % 20 == 0 {
                var planner = try AmendmentPlanner(study: study, key: key, items: try store.loadItems(for: study), journals: [:], seq: seq)
                change = try planner.addAnnotator("added\(number)", perItem: 1)
            } else if number % 20 == 10 {
                var planner = try AmendmentPlanner(study: study, key: key, items: try store.loadItems(for: study), journals: [:], seq: seq)
                let roots = Array(planner.units.map(\.root).dropFirst(number * 20).prefix(200))
                change = try planner.addOverlap(roots: roots, perItem: 3).change
            } else {
                change = .withdraw(pair: study.itemIDs[number * 7])
            }
            try AmendmentLog.append(change, reason: "bench \(number)", to: log, store: store, studyID: study.studyID, studySHA256: hash)
        }
        var amendments = 0
        let amended = try Stopwatch.median(runs: 5) { amendments = try store.load().study.amendments.count }
        precondition(amendments == 100)
        Stopwatch.report("study: load it with 100 amendments applied", amended, goal: 1.0)

        var round = 0
        let addPairs = try Stopwatch.median(runs: 3) {
            round += 1
            let (study, hash) = try store.load()
            let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
            let seq = log.entries.count + 1
            let merged = try StudyStore.loadKey(at: store.defaultKeyFile, for: study)
            let added = try PairAddition.build(
                ComparisonInput(candidates: pairs(20_000 * round..<20_000 * round + 1_000), models: ["base", "tuned"], warnings: []),
                study: study, key: merged, seq: seq, extraLeakTerms: [])
            let url = store.addedItemsFile(seq: seq)
            let items = try store.loadItems(for: study).appending(data: added.itemsData, file: url.path, ids: added.itemIDs)
            var planner = try AmendmentPlanner(study: study, key: merged, items: items, journals: [:], seq: seq)
            let appended = try planner.assignAdded(added.itemIDs, perItem: 2)
            try SafeFile.createNew(added.itemsData, at: url)
            _ = try AmendmentKeyPart.write(added.keyPart, keyFile: store.defaultKeyFile)
            try AmendmentLog.append(
                .addPairs(itemsFile: url.lastPathComponent, itemsSHA256: SHA256Digest.hex(of: added.itemsData), itemIDs: added.itemIDs, appended: appended),
                reason: nil, to: log, store: store, studyID: study.studyID, studySHA256: hash)
        }
        Stopwatch.report("amend add-pairs: 1,000 pairs into that study", addPairs, goal: 2.0)
    }
}
