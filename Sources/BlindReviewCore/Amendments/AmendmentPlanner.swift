import Foundation

/// Works out the slots an amendment appends, by the same keyed, balanced rules as `create`: each pair goes to the
/// least-loaded annotators (ties broken by a keyed shuffle), each annotator's new slots come in their own keyed
/// order, and sides are independent fair coins from the study's secret, one per annotator and pair.
///
/// A pair and its hidden repeats travel together as one unit: whoever gets one gets all of them, the later
/// showing with sides swapped at least ``StudyBuilder/repeatGap`` places after the earlier where the new slots
/// allow it. Handing out only the original (or only the copy) would tell anyone who reads the queues which of
/// the two identical pairs the key calls the repeat.
///
///     var planner = try AmendmentPlanner(study: study, key: key, items: items, journals: journals.journals, seq: 4)
///     let change = try planner.addAnnotator("dave", perItem: nil)
public struct AmendmentPlanner {
    public let study: Study
    /// The key, merged with an add-pairs key part once its copies are made (their `repeat_of` orients them).
    public var key: StudyKey
    /// The effective study's pairs and the added ones (with their copies, when add-pairs repeats some).
    public var items: StudyItems
    public let journals: [String: LoadedJournal]
    /// The number the amendment will get (streams are labelled with it, so no two amendments share coins).
    public let seq: Int
    let secret: StudySecret
    /// Slots each annotator holds that are not withdrawn, and the planned ones: the load balanced on.
    var load: [String: Int]
    /// The units each annotator holds (any showing), by unit root.
    var holds: [String: Set<String>]

    public init(study: Study, key: StudyKey, items: StudyItems, journals: [String: LoadedJournal], seq: Int) throws {
        guard let secret = key.studySecret else {
            throw BlindReviewError(message: "this key holds no study secret (a version 1 key), so amendments cannot draw queues", fix: "recreate the study with this blindreview")
        }
        self.study = study
        self.key = key
        self.items = items
        self.journals = journals
        self.seq = seq
        self.secret = secret
        var load: [String: Int] = [:]
        var holds: [String: Set<String>] = [:]
        for plan in study.annotators {
            load[plan.name] = plan.queue.filter { study.withdrawn[$0.item] == nil }.count
            holds[plan.name] = Set(plan.queue.map { AmendmentPlanner.root(of: $0.item, key: key) })
        }
        self.load = load
        self.holds = holds
    }

    /// The pair a hidden repeat copies, or the pair itself.
    static func root(of item: String, key: StudyKey) -> String { key.pairs[item]?.repeatOf?.item ?? item }

    /// Annotators not retired, in study order.
    public var active: [String] { study.annotators.map(\.name).filter { !study.isRetired($0) } }

    /// Every unit of the study that is not withdrawn: root id to its items (the root first, then its copies).
    public var units: [(root: String, items: [String])] {
        var copies: [String: [String]] = [:]
        for id in study.itemIDs { if let origin = key.pairs[id]?.repeatOf { copies[origin.item, default: []].append(id) } }
        return study.itemIDs.filter { key.pairs[$0]?.repeatOf == nil && study.withdrawn[$0] == nil }
            .map { root in (root, [root] + (copies[root] ?? []).filter { study.withdrawn[$0] == nil }) }
    }

    /// Annotators whose judgment of a unit counts: those holding it, except retired ones who had not finished it.
    func raters(of root: String) -> Set<String> {
        var result = Set<String>()
        for plan in study.annotators where holds[plan.name]?.contains(root) == true {
            if study.isRetired(plan.name) {
                guard let slot = plan.queue.firstIndex(where: { $0.item == root }), isComplete(plan.name, slot: slot) else { continue }
            }
            result.insert(plan.name)
        }
        return result
    }

    func isComplete(_ annotator: String, slot: Int) -> Bool {
        guard let plan = study.plan(for: annotator), let state = journals[annotator]?.state, state.slots.indices.contains(slot) else { return false }
        return state.slots[slot].isComplete(rubric: study.rubric, entry: plan.queue[slot])
    }

    // MARK: - The changes

    /// A new annotator: every unit, or with `perItem` K the share a balanced design of K annotators per pair
    /// gives each active annotator (pairs with the fewest raters first).
    public mutating func addAnnotator(_ name: String, perItem: Int?) throws -> AmendmentChange {
        try AnnotatorName.validate([name])
        guard study.plan(for: name) == nil else {
            throw BlindReviewError(message: "\(name) is already an annotator of this study\(study.isRetired(name) ? " (retired)" : "")", fix: "choose another name")
        }
        guard study.annotators.count < InputLimits.maxAnnotators else {
            throw BlindReviewError(message: "the study has \(InputLimits.maxAnnotators) annotators, the most it may have", fix: "retiring does not free a place; make a new study")
        }
        var chosen = units
        if let k = perItem {
            let people = active.count + 1
            guard k >= 1, k <= people else {
                throw BlindReviewError(message: "--per-item \(k) must be between 1 and the number of active annotators with \(name) (\(people))", fix: "lower --per-item")
            }
            let everyone = goldForEveryone(chosen)
            let rest = chosen.filter { !everyone.contains($0.root) }
            let share = Int((Double(rest.count * k) / Double(people)).rounded(.up))
            var rng = secret.stream("amendment:\(seq):assignment")
            let counts = Dictionary(uniqueKeysWithValues: rest.map { ($0.root, raters(of: $0.root).count) })
            chosen = chosen.filter { everyone.contains($0.root) } + rest.shuffled(using: &rng).sorted { counts[$0.root]! < counts[$1.root]! }.prefix(share)
        }
        let queue = try slots(for: chosen.map(\.items), annotator: name)
        return .addAnnotator(name: name, queue: queue)
    }

    /// The units a new annotator gets whatever their share, in a study with gold pairs: gold goes to every
    /// annotator (as `create` gives it), hidden among the same pairs for every newcomer. Under `--per-item` those
    /// are the units every one of study.json's annotators holds (gold and its decoys: what study.json already
    /// shows); when they hold every unit, the gold units and as many decoys ranked by a keyed value per pair, so
    /// that each newcomer gets the same ones and comparing newcomers' queues narrows nothing down. Empty without gold.
    func goldForEveryone(_ units: [(root: String, items: [String])]) -> Set<String> {
        guard let gold = key.gold, !gold.isEmpty else { return [] }
        let roots = units.map(\.root)
        let added = Set(study.amendments.compactMap { record -> String? in
            if case .addAnnotator(let name, _) = record.change { return name } else { return nil }
        })
        let original = study.annotators.map(\.name).filter { !added.contains($0) }
        // The design is read from study.json's own pairs (pairs added later follow their own --per-item).
        let addedPairs = Set(study.addedItems.flatMap(\.itemIDs))
        let own = roots.filter { !addedPairs.contains($0) }
        let held = own.filter { root in original.allSatisfy { holds[$0]?.contains(root) == true } }
        var everyone = Set(held)
        if held.count == own.count {
            let rank = { (root: String) in secret.identifier("amendment", "gold-decoy", root) }
            everyone = Set(own.filter { gold[$0] == nil }.sorted { rank($0) < rank($1) }.prefix(gold.count))
        }
        return everyone.union(roots.filter { gold[$0] != nil })
    }

    /// Retires an annotator; with `reassign`, each unit they hold with an unfinished showing goes to the
    /// least-loaded active annotator who holds none of it.
    public mutating func retire(_ name: String, reassign: Bool) throws -> (change: AmendmentChange, unplaced: Int) {
        guard let plan = study.plan(for: name) else {
            throw BlindReviewError(message: "\(name) is not an annotator of this study", fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        guard !study.isRetired(name) else { throw BlindReviewError(message: "\(name) is already retired", fix: "nothing to do") }
        guard reassign else { return (.retireAnnotator(name: name, reassigned: []), 0) }
        let unitsByRoot = Dictionary(uniqueKeysWithValues: units.map { ($0.root, $0.items) })
        var open: [String] = []
        for (slot, entry) in plan.queue.enumerated() where study.withdrawn[entry.item] == nil && !isComplete(name, slot: slot) {
            let root = AmendmentPlanner.root(of: entry.item, key: key)
            if unitsByRoot[root] != nil, !open.contains(root) { open.append(root) }
        }
        var others = active.filter { $0 != name }
        guard !others.isEmpty || open.isEmpty else {
            throw BlindReviewError(message: "no other active annotator to take \(name)'s \(open.count) unfinished pairs", fix: "add one first (amend add-annotator), or retire without --reassign")
        }
        var rng = secret.stream("amendment:\(seq):assignment")
        others.shuffle(using: &rng)
        var given: [String: [[String]]] = [:]
        var unplaced = 0
        for root in open.shuffled(using: &rng) {
            guard let taker = others.filter({ holds[$0]?.contains(root) != true }).min(by: { load[$0]! < load[$1]! }) else {
                unplaced += 1
                continue
            }
            given[taker, default: []].append(unitsByRoot[root]!)
            load[taker]! += unitsByRoot[root]!.count
            holds[taker]!.insert(root)
        }
        return (.retireAnnotator(name: name, reassigned: try appends(given)), unplaced)
    }

    /// More annotators on `roots` (every unit, or those given): each gets least-loaded active annotators who hold
    /// none of it until it has `perItem` raters. Returns the pairs that could not reach it.
    public mutating func addOverlap(roots: [String]?, perItem k: Int) throws -> (change: AmendmentChange, short: Int) {
        guard k >= 1 else { throw BlindReviewError(message: "--per-item must be at least 1", fix: "pass --per-item K") }
        let all = units
        let wanted = roots.map(Set.init)
        var rng = secret.stream("amendment:\(seq):assignment")
        var given: [String: [[String]]] = [:]
        var short = 0
        for unit in all.shuffled(using: &rng) where wanted?.contains(unit.root) ?? true {
            let have = raters(of: unit.root).count
            guard have < k else { continue }
            let tiebreak = active.shuffled(using: &rng)
            let takers = tiebreak.filter { holds[$0]?.contains(unit.root) != true }.sorted { load[$0]! < load[$1]! }.prefix(k - have)
            if takers.count < k - have { short += 1 }
            for taker in takers {
                given[taker, default: []].append(unit.items)
                load[taker]! += unit.items.count
                holds[taker]!.insert(unit.root)
            }
        }
        return (.addOverlap(appended: try appends(given)), short)
    }

    /// Slots for newly added pairs without hidden repeats: each to `perItem` least-loaded active annotators
    /// (all of them by default). ``ratersOfAdded(_:perItem:)`` then ``appendAdded(_:copies:)``.
    public mutating func assignAdded(_ ids: [String], perItem: Int?) throws -> [QueueAppend] {
        try appendAdded(try ratersOfAdded(ids, perItem: perItem), copies: [:])
    }

    /// Who rates each newly added pair: `perItem` least-loaded active annotators (all of them by default), in
    /// a keyed order. The hidden repeats are chosen from this (``StudyBuilder/chooseRepeats``) before the slots.
    public mutating func ratersOfAdded(_ ids: [String], perItem: Int?) throws -> [(item: String, raters: [String])] {
        let people = active
        guard !people.isEmpty else { throw BlindReviewError(message: "every annotator is retired", fix: "add one first (amend add-annotator)") }
        let k = perItem ?? people.count
        guard k >= 1, k <= people.count else {
            throw BlindReviewError(message: "--per-item \(k) must be between 1 and the number of active annotators (\(people.count))", fix: "lower --per-item or add annotators")
        }
        var rng = secret.stream("amendment:\(seq):assignment")
        var result: [(item: String, raters: [String])] = []
        for id in ids.shuffled(using: &rng) {
            let tiebreak = people.shuffled(using: &rng)
            let takers = Array(tiebreak.sorted(by: { load[$0]! < load[$1]! }).prefix(k))
            for taker in takers { load[taker]! += 1 }
            result.append((id, takers))
        }
        return result
    }

    /// The added pairs to copy as hidden repeats so that each of their raters gets at least `count` (chosen as
    /// `create --repeat` chooses, from this amendment's own keyed stream).
    public func repeatsAmongAdded(_ raters: [(item: String, raters: [String])], count: Int) throws -> [String] {
        let people = active
        let index = Dictionary(uniqueKeysWithValues: people.enumerated().map { ($1, $0) })
        let chosen = try StudyBuilder.chooseRepeats(
            raters: raters.map { $0.raters.map { index[$0]! } }, annotators: people, count: count, secret: secret, stream: "amendment:\(seq):repeats")
        return chosen.map { raters[$0].item }
    }

    /// The slots for added pairs: each pair to its raters, with its hidden repeat (`copies`: original id to
    /// the copy's) as one unit, placed as ``slots(for:annotator:)`` places a unit. `items` and `key` must
    /// already hold the copies (``PairAddition/addRepeats(of:study:key:seq:)``).
    public mutating func appendAdded(_ raters: [(item: String, raters: [String])], copies: [String: String]) throws -> [QueueAppend] {
        var given: [String: [[String]]] = [:]
        for (item, takers) in raters {
            let unit = [item] + (copies[item].map { [$0] } ?? [])
            for taker in takers {
                given[taker, default: []].append(unit)
                if unit.count > 1 { load[taker]! += unit.count - 1 }
            }
        }
        return try appends(given)
    }

    // MARK: - Queues

    /// The appends in study order, each annotator's units placed by ``slots(for:annotator:)``.
    func appends(_ given: [String: [[String]]]) throws -> [QueueAppend] {
        try study.annotators.compactMap { plan in
            guard let units = given[plan.name], !units.isEmpty else { return nil }
            return QueueAppend(annotator: plan.name, entries: try slots(for: units, annotator: plan.name))
        }
    }

    /// One annotator's new slots: the units in a keyed order, each showing's sides a coin; a unit's second
    /// showing (a hidden repeat) is its first with sides swapped, which of the two comes first a coin too.
    func slots(for units: [[String]], annotator: String) throws -> [QueueEntry] {
        var rng = secret.stream("amendment:\(seq):annotator:\(annotator)")
        var order = units.shuffled(using: &rng)
        // A unit with a second showing leaves the last places for a single pair's, as create's makeRoom does,
        // so that its second showing fits the gap after it.
        let limit = order.count - StudyBuilder.repeatGap
        if limit >= 0 {
            for position in order.indices where position > limit && order[position].count > 1 {
                let singles = (0...limit).filter { order[$0].count == 1 }
                guard !singles.isEmpty else { break }
                order.swapAt(position, singles[rng.below(singles.count)])
            }
        }
        var queue: [QueueEntry] = []
        var later: [(slot: Int, entry: QueueEntry)] = []
        for unit in order {
            let firstOnA = rng.next() & 1 == 1
            let leading = unit.count > 1 && rng.next() & 1 == 1 ? 1 : 0
            queue.append(try entry(unit[leading], root: unit[0], firstOnA: firstOnA))
            for (index, other) in unit.enumerated() where index != leading {
                let earliest = queue.count - 1 + StudyBuilder.repeatGap
                later.append((earliest, try entry(other, root: unit[0], firstOnA: !firstOnA)))
            }
        }
        // Later showings go at a random place at least the gap after their first, or at the end when the new
        // slots are too few (units with repeats only, e.g. a short reassignment); inserted from the back so the
        // earlier places stay valid.
        var placed: [(slot: Int, entry: QueueEntry)] = []
        for item in later {
            let slot = item.slot >= queue.count ? queue.count : item.slot + rng.below(queue.count - item.slot + 1)
            placed.append((slot, item.entry))
        }
        for item in placed.enumerated().sorted(by: { ($0.element.slot, $0.offset) > ($1.element.slot, $1.offset) }).map(\.element) {
            queue.insert(item.entry, at: min(item.slot, queue.count))
        }
        return queue
    }

    /// A slot for `item` with the response matching the root's first (lower) response id on A when `firstOnA`.
    func entry(_ item: String, root: String, firstOnA: Bool) throws -> QueueEntry {
        let responses = try items.item(id: item).responses.map(\.id).sorted()
        guard responses.count == 2 else { throw BlindReviewError(file: items.file, message: "pair \(item) does not have two responses", fix: "copy the study folder again") }
        var first = responses[0], second = responses[1]
        if item != root, let origin = key.pairs[item]?.repeatOf {
            // Orient a copy by its original: the response whose original is the root's first goes first.
            let rootFirst = try items.item(id: root).responses.map(\.id).sorted().first
            if origin.responses[second] == rootFirst { swap(&first, &second) }
        }
        return firstOnA ? QueueEntry(item: item, a: first, b: second) : QueueEntry(item: item, a: second, b: first)
    }
}
