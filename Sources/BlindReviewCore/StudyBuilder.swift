import SeededRandom
import Foundation

/// The choices a lead makes when creating a study.
public struct StudyOptions: Sendable {
    public var name: String
    public var seed: UInt64
    public var annotators: [String]
    /// Each pair goes to this many annotators (balanced load); nil means everyone rates everything.
    public var perItem: Int?
    /// Hidden repeats per annotator, sides swapped, at least 5 items after the original.
    public var repeats: Int
    /// Keep a seeded subset of this many pairs.
    public var sample: Int?
    public var baseline: String?
    public var redact: Bool
    public var rubric: Rubric

    public init(
        name: String, seed: UInt64, annotators: [String], perItem: Int? = nil, repeats: Int = 0,
        sample: Int? = nil, baseline: String? = nil, redact: Bool = false, rubric: Rubric = .standard
    ) {
        self.name = name
        self.seed = seed
        self.annotators = annotators
        self.perItem = perItem
        self.repeats = repeats
        self.sample = sample
        self.baseline = baseline
        self.redact = redact
        self.rubric = rubric
    }
}

/// A built study with its key, and what the lead should review.
public struct BuiltStudy: Sendable {
    public var study: Study
    public var items: [StudyItem]
    /// `items.jsonl`: one pair per line.
    public var itemsData: Data
    public var key: StudyKey
    public var keyData: Data
    public var studyData: Data
    public var leaks: [LeakReport]
}

/// Blinds comparisons into a study: opaque response ids, balanced sides, per-annotator orders and hidden repeats,
/// all drawn from seeded generators so the same inputs and seed give byte-identical files.
///
///     let built = try StudyBuilder.build(pairs: candidates, models: ["base", "tuned"],
///                                        options: StudyOptions(name: "demo", seed: 7, annotators: ["ann", "bo"]))
///     built.study.annotators[0].queue.first   // QueueEntry(item: "q3", a: "r5c0d1e", b: "r09ab44", ...)
public enum StudyBuilder {
    /// The smallest gap, in queue positions, between an item and its hidden repeat (5 other items between).
    public static let repeatGap = 6

    public static func build(pairs input: [CandidatePair], models: [String], options: StudyOptions) throws -> BuiltStudy {
        try AnnotatorName.validate(options.annotators)
        var pairs = input
        guard !pairs.isEmpty else {
            throw BlindReviewError(message: "no pairs to put in the study", fix: "check the input files")
        }
        if let sample = options.sample {
            guard sample >= 1 else {
                throw BlindReviewError(message: "--sample must be at least 1", fix: "pass --sample N with N >= 1")
            }
            if sample < pairs.count {
                var rng = SplitMix64(seed: options.seed, stream: "sample")
                let kept = Array(pairs.indices.shuffled(using: &rng).prefix(sample)).sorted()
                pairs = kept.map { pairs[$0] }
            }
        }
        if let k = options.perItem {
            guard k >= 1, k <= options.annotators.count else {
                throw BlindReviewError(
                    message: "--per-item \(k) must be between 1 and the number of annotators (\(options.annotators.count))",
                    fix: "lower --per-item or add annotators")
            }
        }

        // Pair ids: the prompt id, or prompt id plus ".k" when one prompt gives several pairs (k in seeded order,
        // so the number says nothing about the models).
        var bySource: [String: [Int]] = [:]
        for (index, pair) in pairs.enumerated() { bySource[pair.sourceID, default: []].append(index) }
        var pairIDs = [String](repeating: "", count: pairs.count)
        var idRNG = SplitMix64(seed: options.seed, stream: "pair-ids")
        for (index, pair) in pairs.enumerated() {
            let group = bySource[pair.sourceID]!
            if group.count == 1 {
                pairIDs[index] = pair.sourceID
            } else if group[0] == index {
                for (k, member) in group.shuffled(using: &idRNG).enumerated() { pairIDs[member] = "\(pair.sourceID).\(k + 1)" }
            }
        }

        let scanner = LeakScanner(models: models)
        var responseRNG = SplitMix64(seed: options.seed, stream: "response-ids")
        var usedIDs = Set<String>()
        func freshID() -> String {
            while true {
                let value = responseRNG.next() & 0xFFF_FFFF
                let id = "r" + String(value, radix: 16).leftPadded(to: 7)
                if usedIDs.insert(id).inserted { return id }
            }
        }
        var items: [StudyItem] = []
        items.reserveCapacity(pairs.count)
        var keyEntries: [String: KeyEntry] = [:]
        var leaks: [LeakReport] = []
        /// For each item: (response id of the first model, of the second), and the model-pair label.
        var itemResponses: [(first: String, second: String, group: String)] = []
        for (index, pair) in pairs.enumerated() {
            let firstID = freshID()
            let secondID = freshID()
            var responses: [BlindResponse] = []
            for (id, response) in [(firstID, pair.first), (secondID, pair.second)] {
                var turns = response.turns
                for turn in turns {
                    for match in scanner.matches(in: turn) {
                        leaks.append(LeakReport(pairID: pairIDs[index], responseID: id, text: match.text, context: context(of: match, in: turn)))
                    }
                }
                if options.redact { turns = turns.map(scanner.redact) }
                responses.append(BlindResponse(id: id, turns: turns))
            }
            responses.sort { $0.id < $1.id }
            items.append(StudyItem(id: pairIDs[index], sourceID: pair.sourceID, prompt: pair.prompt, reference: pair.reference, responses: responses))
            keyEntries[pairIDs[index]] = KeyEntry(
                sourceID: pair.sourceID, responses: [firstID: pair.first.model, secondID: pair.second.model], inputOrder: [firstID, secondID])
            let group = [pair.first.model, pair.second.model].sorted().joined(separator: "\u{1F}")
            // Orient so `first` is always the alphabetically first model of its group.
            if pair.first.model <= pair.second.model {
                itemResponses.append((firstID, secondID, group))
            } else {
                itemResponses.append((secondID, firstID, group))
            }
        }

        // Which annotators rate which items: everyone, or K each with the least-loaded annotators first.
        var assigned = [[Int]](repeating: [], count: options.annotators.count)
        if let k = options.perItem, k < options.annotators.count {
            var rng = SplitMix64(seed: options.seed, stream: "assignment")
            var load = [Int](repeating: 0, count: options.annotators.count)
            for item in items.indices.shuffled(using: &rng) {
                let tiebreak = options.annotators.indices.shuffled(using: &rng)
                let chosen = tiebreak.sorted { load[$0] < load[$1] }.prefix(k)
                for annotator in chosen {
                    load[annotator] += 1
                    assigned[annotator].append(item)
                }
            }
            for index in assigned.indices { assigned[index].sort() }
        } else {
            for index in assigned.indices { assigned[index] = Array(items.indices) }
        }

        let itemIndex = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
        var plans: [AnnotatorPlan] = []
        for (annotatorIndex, name) in options.annotators.enumerated() {
            var rng = SplitMix64(seed: options.seed, stream: "annotator:" + name)
            let mine = assigned[annotatorIndex]
            // Sides: within each model pair, half the items show the first model as A (the odd one by coin).
            var firstOnA = [Int: Bool]()
            var groups: [String: [Int]] = [:]
            for item in mine { groups[itemResponses[item].group, default: []].append(item) }
            for group in groups.keys.sorted() {
                let members = groups[group]!.shuffled(using: &rng)
                var half = members.count / 2
                if members.count % 2 == 1, rng.next() & 1 == 1 { half += 1 }
                for (position, item) in members.enumerated() { firstOnA[item] = position < half }
            }
            var queue = mine.shuffled(using: &rng).map { item -> QueueEntry in
                let (first, second, _) = itemResponses[item]
                return firstOnA[item]! ? QueueEntry(item: items[item].id, a: first, b: second)
                    : QueueEntry(item: items[item].id, a: second, b: first)
            }
            if options.repeats > 0 {
                queue = try addRepeats(
                    to: queue, count: options.repeats, annotator: name, rng: &rng,
                    group: { entry in itemResponses[itemIndex[entry.item]!] })
            }
            plans.append(AnnotatorPlan(name: name, queue: queue))
        }

        let key = StudyKey(study: options.name, seed: options.seed, models: models, baseline: options.baseline, pairs: keyEntries)
        let keyData = CanonicalJSON.encode(key, pretty: true)
        let itemsData = StudyItems.encode(items)
        let study = Study(
            name: options.name, rubric: options.rubric, keySHA256: SHA256Digest.hex(of: keyData), itemIDs: items.map(\.id),
            itemsSHA256: SHA256Digest.hex(of: itemsData), annotators: plans, redacted: options.redact)
        let studyData = CanonicalJSON.encode(study, pretty: true)
        return BuiltStudy(study: study, items: items, itemsData: itemsData, key: key, keyData: keyData, studyData: studyData, leaks: leaks)
    }

    /// Inserts hidden repeats with sides swapped, each at least ``repeatGap`` positions after its original, chosen
    /// so that the sides stay balanced within each model pair.
    static func addRepeats(
        to original: [QueueEntry], count: Int, annotator: String, rng: inout SplitMix64,
        group: (QueueEntry) -> (first: String, second: String, group: String)
    ) throws -> [QueueEntry] {
        let eligible = original.indices.filter { $0 + repeatGap <= original.count }
        guard eligible.count >= count else {
            throw BlindReviewError(
                message: "annotator \(annotator) has \(original.count) pairs, too few for --repeat \(count) (each repeat comes at least \(repeatGap) places after its original)",
                fix: "lower --repeat to \(eligible.count) or give this annotator more pairs")
        }
        // Current balance per group: +1 for each entry showing the group's first model as A.
        var balance: [String: Int] = [:]
        for entry in original {
            let g = group(entry)
            balance[g.group, default: 0] += entry.a == g.first ? 1 : -1
        }
        var chosen: [Int] = []
        var remaining = eligible.shuffled(using: &rng)
        while chosen.count < count {
            // A repeat swaps sides, so it moves the balance by -1 (first model was A) or +1; prefer moves toward 0.
            let pick = remaining.firstIndex { index in
                let g = group(original[index])
                let delta = original[index].a == g.first ? -1 : 1
                return abs(balance[g.group]! + delta) <= abs(balance[g.group]!) || abs(balance[g.group]! + delta) <= 1
            } ?? 0
            let index = remaining.remove(at: pick)
            let g = group(original[index])
            balance[g.group]! += original[index].a == g.first ? -1 : 1
            chosen.append(index)
        }
        var queue = original
        var position = Array(original.indices)  // where each original index now sits
        for index in chosen.sorted() {
            let current = position[index]
            let slot = current + repeatGap + rng.below(queue.count - (current + repeatGap) + 1)
            let entry = original[index]
            queue.insert(QueueEntry(item: entry.item, a: entry.b, b: entry.a, isRepeat: true), at: slot)
            for other in position.indices where position[other] >= slot { position[other] += 1 }
        }
        return queue
    }

    static func context(of match: LeakScanner.Match, in text: String) -> String {
        let bytes = Array(text.utf8)
        var start = max(0, match.range.lowerBound - 30)
        var end = min(bytes.count, match.range.upperBound + 30)
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let snippet = String(decoding: bytes[start..<end], as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        return (start > 0 ? "…" : "") + snippet + (end < bytes.count ? "…" : "")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
