import Foundation

/// The choices a lead makes when creating a study.
public struct StudyOptions: Sendable {
    public var name: String
    /// Where every blinded choice comes from: OS-random by default, derived from `--seed` when reproducible.
    public var secret: StudySecret
    public var annotators: [String]
    /// Each pair goes to this many annotators (balanced load); nil means everyone rates everything.
    public var perItem: Int?
    /// Hidden repeats per annotator, sides swapped, at least 5 items after the original.
    public var repeats: Int
    /// Keep a random subset of this many pairs.
    public var sample: Int?
    public var baseline: String?
    public var redact: Bool
    public var rubric: Rubric
    /// Terms to scan for beyond the built-in list (`--leak-terms FILE`).
    public var extraLeakTerms: [LeakTerm]
    /// Known-answer pairs (`--gold FILE`): given to every annotator, recorded only in the key.
    public var gold: GoldList?

    public init(
        name: String, secret: StudySecret, annotators: [String], perItem: Int? = nil, repeats: Int = 0,
        sample: Int? = nil, baseline: String? = nil, redact: Bool = false, rubric: Rubric = .standard,
        extraLeakTerms: [LeakTerm] = []
    ) {
        self.name = name
        self.secret = secret
        self.annotators = annotators
        self.perItem = perItem
        self.repeats = repeats
        self.sample = sample
        self.baseline = baseline
        self.redact = redact
        self.rubric = rubric
        self.extraLeakTerms = extraLeakTerms
    }

    /// A reproducible study: every choice follows from `seed` (which therefore unblinds it; see ``StudySecret``).
    public init(
        name: String, seed: UInt64, annotators: [String], perItem: Int? = nil, repeats: Int = 0,
        sample: Int? = nil, baseline: String? = nil, redact: Bool = false, rubric: Rubric = .standard
    ) {
        self.init(
            name: name, secret: StudySecret(seed: seed), annotators: annotators, perItem: perItem, repeats: repeats,
            sample: sample, baseline: baseline, redact: redact, rubric: rubric)
    }

    /// The seed of a seeded study; setting it makes the study seeded.
    public var seed: UInt64? {
        get { secret.seed }
        set { secret = newValue.map(StudySecret.init(seed:)) ?? .random() }
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

/// Blinds comparisons into a study: opaque item and response ids, balanced sides, per-annotator orders and
/// hidden repeats, all drawn from keyed streams of the study's secret (``StudySecret``). A seeded study gives
/// byte-identical files for the same inputs; an unseeded one shares nothing with any other study.
///
///     let built = try StudyBuilder.build(pairs: candidates, models: ["base", "tuned"],
///                                        options: StudyOptions(name: "demo", secret: .random(), annotators: ["ann", "bo"]))
///     built.study.annotators[0].queue.first   // QueueEntry(item: "p3c1f…", a: "r5c0d1e…", b: "r09ab44…")
///
/// A hidden repeat is a pair of its own: a copy of a pair's text under fresh ids, shown to every annotator who
/// rates the original, with each annotator's sides swapped, at least ``repeatGap`` places after the original.
/// Only the key records what it repeats.
public enum StudyBuilder {
    /// The smallest gap, in queue positions, between an item and its hidden repeat (5 other items between).
    public static let repeatGap = 6

    public static func build(pairs input: [CandidatePair], models: [String], options: StudyOptions) throws -> BuiltStudy {
        try AnnotatorName.validate(options.annotators)
        let secret = options.secret
        var pairs = input
        guard !pairs.isEmpty else {
            throw BlindReviewError(message: "no pairs to put in the study", fix: "check the input files")
        }
        if let sample = options.sample {
            guard sample >= 1 else {
                throw BlindReviewError(message: "--sample must be at least 1", fix: "pass --sample N with N >= 1")
            }
            if sample < pairs.count {
                var rng = secret.stream("sample")
                let kept = Array(pairs.indices.shuffled(using: &rng).prefix(sample)).sorted()
                pairs = kept.map { pairs[$0] }
            }
        }
        let gold = try options.gold?.resolve(input: input, kept: pairs, models: models, rubric: options.rubric) ?? [:]
        let annotatorCount = options.annotators.count
        if let k = options.perItem {
            guard k >= 1, k <= annotatorCount else {
                throw BlindReviewError(
                    message: "--per-item \(k) must be between 1 and the number of annotators (\(annotatorCount))",
                    fix: "lower --per-item or add annotators")
            }
        }

        var ids = OpaqueIDs(secret: secret)
        let scanner = LeakScanner(models: models, extraTerms: options.extraLeakTerms)
        // The originals: opaque ids, leak scan, key entries.
        var (originals, leaks) = blind(pairs, ids: &ids, label: [], scanner: scanner, redact: options.redact)

        // Which annotators rate which originals: everyone, or K each with the least-loaded annotators first.
        // Gold pairs go to everyone; under --per-item as many other pairs (decoys) go to everyone too, so that a
        // pair in every queue of study.json is no sure sign of gold (see GoldList and the README).
        var raters = [[Int]](repeating: [], count: originals.count)
        if let k = options.perItem, k < annotatorCount {
            var everyone = Set(gold.keys)
            if !gold.isEmpty {
                var decoyRNG = secret.stream("gold-decoys")
                let others = originals.indices.filter { gold[$0] == nil }.shuffled(using: &decoyRNG)
                everyone.formUnion(others.prefix(gold.count))
            }
            var rng = secret.stream("assignment")
            var load = [Int](repeating: 0, count: annotatorCount)
            for item in originals.indices.shuffled(using: &rng) {
                if everyone.contains(item) {
                    raters[item] = Array(0..<annotatorCount)
                    continue
                }
                let tiebreak = (0..<annotatorCount).shuffled(using: &rng)
                raters[item] = Array(tiebreak.sorted { load[$0] < load[$1] }.prefix(k)).sorted()
                for annotator in raters[item] { load[annotator] += 1 }
            }
        } else {
            for item in originals.indices { raters[item] = Array(0..<annotatorCount) }
        }

        // Hidden repeats: originals copied for everyone who rates them, until each annotator has enough.
        let repeated = try chooseRepeats(raters: raters, annotators: options.annotators, count: options.repeats, secret: secret)
        var copies: [Blinded] = []
        var copyOf: [Int: Int] = [:]  // original index -> copy index
        for (copyIndex, original) in repeated.enumerated() {
            let source = originals[original]
            let copy = Blinded(
                id: ids.next("item", "repeat", copyIndex), pair: source.pair,
                first: BlindResponse(id: ids.next("response", "repeat", copyIndex, 0), turns: source.first.turns),
                second: BlindResponse(id: ids.next("response", "repeat", copyIndex, 1), turns: source.second.turns))
            copyOf[original] = copies.count
            copies.append(copy)
        }

        // What a queue entry needs of each pair, taken once (the pairs themselves are large to copy).
        let originalSlots = originals.map { (id: $0.id, first: $0.oriented.0, second: $0.oriented.1) }
        let copySlots = copies.map { (id: $0.id, first: $0.oriented.0, second: $0.oriented.1) }
        // Each annotator's queue. Sides are independent fair coins from the secret, one per annotator and pair:
        // a design balanced by model (each model on the left in exactly half of an annotator's pairs) would let
        // an annotator who reads every queue in study.json test guesses of the mapping offline, since only the
        // true mapping (and its mirror) balances every queue. A hidden repeat shows the pair again with the sides
        // swapped, and which of the two identical items comes first is itself a coin, so that position says
        // nothing about which one the key calls the repeat.
        // Each annotator's queue comes from their own stream, so the queues are made side by side; the first
        // failure in annotator order is reported.
        let (itemCount, assigned, copyIndex) = (originals.count, raters, copyOf)
        let madePlans = ResultSlots<Result<AnnotatorPlan, Error>>(count: options.annotators.count)
        DispatchQueue.concurrentPerform(iterations: options.annotators.count) { annotatorIndex in
            madePlans.set(annotatorIndex, Result {
                let name = options.annotators[annotatorIndex]
                let (raters, copyOf) = (assigned, copyIndex)
                var rng = secret.stream("annotator:" + name)
                let mine = (0..<itemCount).filter { raters[$0].contains(annotatorIndex) }
                var firstOnA = [Int: Bool]()
                var copyFirst = [Int: Bool]()
                for item in mine {
                    firstOnA[item] = rng.next() & 1 == 1
                    if copyOf[item] != nil { copyFirst[item] = rng.next() & 1 == 1 }
                }
                func entry(_ slot: (id: String, first: String, second: String), firstOnA: Bool) -> QueueEntry {
                    firstOnA ? QueueEntry(item: slot.id, a: slot.first, b: slot.second) : QueueEntry(item: slot.id, a: slot.second, b: slot.first)
                }
                /// The two showings of an item: the earlier one with the item's sides, the later one swapped; each
                /// showing is the original or the copy as `copyFirst` says.
                func showing(_ item: Int, later: Bool) -> QueueEntry {
                    let useCopy = copyOf[item] != nil && (copyFirst[item]! != later)
                    return entry(useCopy ? copySlots[copyOf[item]!] : originalSlots[item], firstOnA: later ? !firstOnA[item]! : firstOnA[item]!)
                }
                var order = mine.shuffled(using: &rng)
                let mineRepeated = mine.filter { copyOf[$0] != nil }
                try makeRoom(for: Set(mineRepeated), in: &order, annotator: name, rng: &rng)
                var queue = order.map { showing($0, later: false) }
                // Insert the second showings, latest first, each somewhere after the first showing's position + gap.
                let positions = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
                var inserted: [(slot: Int, entry: QueueEntry)] = []
                for original in mineRepeated.sorted(by: { positions[$0]! < positions[$1]! }) {
                    let earliest = positions[original]! + repeatGap
                    inserted.append((earliest + rng.below(order.count - earliest + 1), showing(original, later: true)))
                }
                // Slots are in terms of the originals-only queue; insert from the back so earlier slots stay valid.
                for (slot, copy) in inserted.enumerated().sorted(by: { ($0.element.slot, $0.offset) > ($1.element.slot, $1.offset) }).map({ ($0.element.slot, $0.element.entry) }) {
                    queue.insert(copy, at: slot)
                }
                return AnnotatorPlan(name: name, queue: queue)
            })
        }
        let plans = try madePlans.values.map { try $0!.get() }

        // Items in the order of their opaque ids, so position says nothing about source order or repeats.
        var keyEntries: [String: KeyEntry] = [:]
        for (index, original) in originals.enumerated() { keyEntries[original.id] = keyEntry(original, inputIndex: index) }
        for (original, copyIndex) in copyOf {
            let copy = copies[copyIndex], source = originals[original]
            keyEntries[copy.id] = KeyEntry(
                sourceID: source.pair.sourceID, responses: copy.models, inputOrder: [copy.first.id, copy.second.id],
                repeatOf: RepeatOrigin(item: source.id, responses: [copy.first.id: source.first.id, copy.second.id: source.second.id]))
        }
        let items = (originals + copies).map(\.item).sorted { $0.id < $1.id }
        var goldAnswers: [String: GoldAnswer] = [:]
        for (index, answer) in gold {
            goldAnswers[originals[index].id] = GoldAnswer(
                expected: answer.firstIsBetter ? originals[index].first.id : originals[index].second.id, minScore: answer.minScore)
        }
        let studyID = secret.seed == nil ? StudySecret.randomIdentifier() : secret.derivedStudyIdentifier()
        var key = StudyKey(study: options.name, studyID: studyID, secret: secret, models: models, baseline: options.baseline, pairs: keyEntries)
        if !goldAnswers.isEmpty { key.gold = goldAnswers }
        // The key on one core; items.jsonl, then study.json (which holds its hash), on the other.
        let finishedKey = key
        let keyBytes = ResultSlots<Data>(count: 1)
        let studyFiles = ResultSlots<(study: Study, itemsData: Data, studyData: Data)>(count: 1)
        let queues = plans
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                keyBytes.set(0, finishedKey.canonicalJSON())
                return
            }
            let itemsData = StudyItems.encode(items)
            let study = Study(
                name: options.name, studyID: studyID, rubric: options.rubric, itemIDs: items.map(\.id),
                itemsSHA256: SHA256Digest.hex(of: itemsData), annotators: queues, redacted: options.redact)
            studyFiles.set(0, (study, itemsData, study.canonicalJSON()))
        }
        let (study, itemsData, studyData) = studyFiles.values[0]!
        return BuiltStudy(study: study, items: items, itemsData: itemsData, key: key, keyData: keyBytes.values[0]!, studyData: studyData, leaks: leaks)
    }

    /// Gives each pair its opaque ids (labels `item:<label>:<index>`, `response:<label>:<index>:0|1` under the
    /// secret) and scans it for leaks (redacting when asked). `create` and `amend add-pairs` (label
    /// `amendment:<seq>`) both blind through here, so added pairs get ids of the same kind that cannot collide
    /// with or be linked to the study's.
    static func blind(
        _ pairs: [CandidatePair], ids: inout OpaqueIDs, label: [CustomStringConvertible], scanner: LeakScanner, redact: Bool
    ) -> (originals: [Blinded], leaks: [LeakReport]) {
        // The ids in pair order: the first value of each (an HMAC) computed on all cores, collisions settled in
        // order (an id may depend on those before it). Then the scans in chunks side by side, put back in order.
        let kinds = ["item", "response", "response"]
        let labels = pairs.indices.flatMap { index in
            [OpaqueIDs.label("item", parts: label + [index]), OpaqueIDs.label("response", parts: label + [index, 0]),
             OpaqueIDs.label("response", parts: label + [index, 1])]
        }
        let valueChunkCount = min(labels.count, 8)
        let valueChunks = ResultSlots<[UInt64]>(count: valueChunkCount)
        let secret = ids.secret
        DispatchQueue.concurrentPerform(iterations: valueChunkCount) { chunk in
            let range = (labels.count * chunk / valueChunkCount)..<(labels.count * (chunk + 1) / valueChunkCount)
            valueChunks.set(chunk, labels[range].map { secret.identifier(utf8: $0) })
        }
        let firstValues = valueChunks.values.flatMap { $0! }
        var made: [String] = []
        made.reserveCapacity(labels.count)
        for (index, label) in labels.enumerated() { made.append(ids.next(kinds[index % 3], label: label, firstValue: firstValues[index])) }
        let pairIDs = pairs.indices.map { (item: made[3 * $0], first: made[3 * $0 + 1], second: made[3 * $0 + 2]) }
        let chunkCount = min(pairs.count, 8)
        let chunks = ResultSlots<[LeakScanner.PairScan]>(count: chunkCount)
        let idsByPair = pairIDs
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (pairs.count * chunk / chunkCount)..<(pairs.count * (chunk + 1) / chunkCount)
            chunks.set(chunk, range.map { index in
                scanner.scan(pair: pairs[index], responseIDs: (idsByPair[index].first, idsByPair[index].second), pairID: idsByPair[index].item, redact: redact)
            })
        }
        var leaks: [LeakReport] = []
        var originals: [Blinded] = []
        originals.reserveCapacity(pairs.count)
        var index = 0
        for scan in chunks.values.lazy.flatMap({ $0! }) {
            let pair = pairs[index], id = pairIDs[index]
            leaks += scan.leaks
            originals.append(Blinded(
                id: id.item, pair: pair, first: BlindResponse(id: id.first, turns: scan.first),
                second: BlindResponse(id: id.second, turns: scan.second)))
            index += 1
        }
        return (originals, leaks)
    }

    /// The key's entry for a blinded original: its prompt id, models, input order and fields.
    static func keyEntry(_ original: Blinded, inputIndex: Int) -> KeyEntry {
        var entry = KeyEntry(
            sourceID: original.pair.sourceID, responses: original.models,
            inputOrder: [original.first.id, original.second.id], inputIndex: inputIndex,
            fields: original.pair.fields.isEmpty ? nil : original.pair.fields)
        let perResponse = [(original.first.id, original.pair.first.fields), (original.second.id, original.pair.second.fields)].filter { !$0.1.isEmpty }
        if !perResponse.isEmpty { entry.responseFields = Dictionary(uniqueKeysWithValues: perResponse) }
        return entry
    }

    /// Picks the originals to repeat: in a random order, first those every one of whose annotators still needs a
    /// repeat, then those any of them needs, until every annotator has at least `count` (a copy goes to everyone
    /// who rates the original, so with `--per-item` some get a few more).
    static func chooseRepeats(raters: [[Int]], annotators: [String], count: Int, secret: StudySecret, stream: String = "repeats") throws -> [Int] {
        guard count > 0 else { return [] }
        var have = [Int](repeating: 0, count: annotators.count)
        var assigned = [Int](repeating: 0, count: annotators.count)
        for list in raters { for annotator in list { assigned[annotator] += 1 } }
        for (index, name) in annotators.enumerated() where assigned[index] < count + repeatGap - 1 {
            let most = max(0, assigned[index] - repeatGap + 1)
            throw BlindReviewError(
                message: "annotator \(name) has \(assigned[index]) pairs, too few for --repeat \(count) (each repeat comes at least \(repeatGap) places after its original)",
                fix: "lower --repeat to \(most) or give this annotator more pairs")
        }
        var rng = secret.stream(stream)
        let order = raters.indices.shuffled(using: &rng)
        var chosen: [Int] = []
        var taken = Set<Int>()
        for strict in [true, false] {
            for item in order where !taken.contains(item) {
                let needing = raters[item].filter { have[$0] < count }
                guard strict ? needing.count == raters[item].count && !needing.isEmpty : !needing.isEmpty else { continue }
                chosen.append(item)
                taken.insert(item)
                for annotator in raters[item] { have[annotator] += 1 }
            }
        }
        return chosen
    }

    /// Moves the originals that will be repeated out of the last `repeatGap - 1` places of an order, swapping each
    /// with a random other original early enough, so that every copy fits at least `repeatGap` places later.
    static func makeRoom(for repeated: Set<Int>, in order: inout [Int], annotator: String, rng: inout KeyedRandom) throws {
        let limit = order.count - repeatGap  // the last position a repeated original may take
        for position in order.indices where position > limit && repeated.contains(order[position]) {
            let candidates = (0...max(limit, 0)).filter { !repeated.contains(order[$0]) }
            guard limit >= 0, !candidates.isEmpty else {
                throw BlindReviewError(
                    message: "annotator \(annotator) has too few pairs for the hidden repeats asked for",
                    fix: "lower --repeat or give this annotator more pairs")
            }
            order.swapAt(position, candidates[rng.below(candidates.count)])
        }
    }

    /// A pair with its opaque ids, before it is placed in queues.
    struct Blinded {
        var id: String
        var pair: CandidatePair
        var first: BlindResponse
        var second: BlindResponse

        /// Responses in id order (so their order in `items.jsonl` says nothing).
        var item: StudyItem {
            StudyItem(id: id, prompt: pair.prompt, reference: pair.reference, responses: [first, second].sorted { $0.id < $1.id })
        }

        var models: [String: String] { [first.id: pair.first.model, second.id: pair.second.model] }

        /// The two models, sorted: the unit within which sides are balanced.
        var modelGroup: String { [pair.first.model, pair.second.model].sorted().joined(separator: "\u{1F}") }

        /// (response of the alphabetically first model, of the other).
        var oriented: (String, String) {
            pair.first.model <= pair.second.model ? (first.id, second.id) : (second.id, first.id)
        }
    }

    static func context(of range: Range<Int>, in text: String) -> String {
        let bytes = Array(text.utf8)
        var start = max(0, range.lowerBound - 30)
        var end = min(bytes.count, range.upperBound + 30)
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let snippet = VisibleText.line(String(decoding: bytes[start..<end], as: UTF8.self))
        return (start > 0 ? "…" : "") + snippet + (end < bytes.count ? "…" : "")
    }
}

/// Opaque ids from the secret: `p` or `r` and 16 hex digits (64 bits), unique within the study.
///
/// The id for a label (`item:7`, `response:7:1`) is the first 64 bits of the secret's HMAC of the label; on the
/// rare collision with an id already given (or in `used`), of `label:retry:N` for N = 1, 2, ...
struct OpaqueIDs {
    let secret: StudySecret
    /// Ids taken before these (an amendment's study already has some); ids made here are kept as numbers.
    var used = Set<String>()
    /// The 64-bit values of the item (`p`) and response (`r`) ids made here.
    private var items = Set<UInt64>()
    private var responses = Set<UInt64>()

    init(secret: StudySecret) { self.secret = secret }

    mutating func next(_ kind: String, _ parts: CustomStringConvertible...) -> String {
        next(kind, parts: parts)
    }

    mutating func next(_ kind: String, parts: [CustomStringConvertible]) -> String {
        let label = OpaqueIDs.label(kind, parts: parts)
        return next(kind, label: label, firstValue: secret.identifier(utf8: label))
    }

    /// The label of an id as UTF-8: the kind and parts joined by `:` (`item:7`, `response:amendment:2:7:1`).
    static func label(_ kind: String, parts: [CustomStringConvertible]) -> [UInt8] {
        var label = Array(kind.utf8)
        for part in parts {
            label.append(UInt8(ascii: ":"))
            label.append(contentsOf: part.description.utf8)
        }
        return label
    }

    /// The next id for `label`, given its first value (`secret.identifier(utf8: label)`, which may be computed
    /// ahead, on another core): that value unless it collides, then the retries in order.
    mutating func next(_ kind: String, label: [UInt8], firstValue: UInt64) -> String {
        let isItem = kind == "item"
        var attempt = 0
        while true {
            let value = attempt == 0 ? firstValue : secret.identifier(utf8: label + Array(":retry:\(attempt)".utf8))
            let id = StudySecret.hex64(value, prefix: isItem ? UInt8(ascii: "p") : UInt8(ascii: "r"))
            if used.isEmpty || !used.contains(id) {
                if isItem ? items.insert(value).inserted : responses.insert(value).inserted { return id }
            }
            attempt += 1
        }
    }
}
