import AgreementStats
import BlindReviewCore
import Foundation

/// "Judge against people": how far an LLM judge can be trusted on this study, measured against its people.
///
/// For each judge (a journal of kind `judge`, two slots per pair, one per order):
/// - **agreement** with each person, with the people's majority, and people among themselves as the ceiling:
///   percent agreement with and without ties and Cohen's kappa (``PairClusterAgreement``), the judge's verdict
///   per pair by MT-Bench's conservative rule (``JudgeAsAnnotator/pairVerdict(_:_:entry:swapped:rubric:)``);
/// - **position consistency**: of the pairs judged in both orders, how many got the same verdict both ways, how
///   many favoured whichever response came first (or second), how many had a tie in one order only, and how many
///   hold an error; and the share of its non-tie verdicts that went to the first position, with a pair-cluster
///   interval and sign-flip test;
/// - with the key, **length bias** (``LengthModel`` on the judge's verdicts in both orders, as for people) and the
///   **win rate the judge alone would give** (from its consistent verdicts, and with inconsistent ones as ties),
///   beside the people's, over the same pairs: `leftOutOfWinRates` (gold pairs, unless `--include-gold`) are left out of
///   the judge's win rates as they are of the people's.
///
/// Hidden repeats are left out (a judge's verdicts on them are not read). Errors are counted, never dropped.
///
///     let section = JudgeSection.compute(study: study, items: items, key: key, votes: votes, judges: journals.derived, bootstrap: 1000, seed: 1)
///     section.judges[0].position.consistent
public struct JudgeSection: Sendable {
    public struct Agreement: Sendable {
        /// A person's name, "majority" or "people" (people with each other).
        public var against: String
        public var result: PairClusterAgreement.Result
        /// For "majority": pairs judged by the judge and by people but without a majority label.
        public var noMajority: Int = 0
    }

    public struct Position: Sendable {
        /// Pairs with a verdict (or an error) in both orders.
        public var bothOrders = 0
        public var consistent = 0
        public var consistentTies = 0
        /// With the key: consistent verdicts per model (the model favoured in both orders).
        public var consistentByModel: [String: Int]?
        public var firstPosition = 0
        public var secondPosition = 0
        public var tieInOneOrder = 0
        /// Pairs with an error in either order (in both orders or in one).
        public var withError = 0
        /// Pairs judged in one order only (no error).
        public var oneOrderOnly = 0
        /// The share of non-tie verdicts (each order its own) given to the response shown first, its interval,
        /// and the test against one half (``PairClusterWinRate`` with "first shown" as the winner).
        public var firstShare: PairClusterWinRate.Result
    }

    public struct WinRate: Sendable {
        public var first: String
        public var second: String
        /// One verdict per pair, from the pairs whose two orders agree.
        public var consistent: PairClusterWinRate.Result
        public var consistentCounts: (wins: Int, ties: Int, losses: Int)
        /// One verdict per pair by the conservative rule (disagreeing orders count as a tie).
        public var conservative: PairClusterWinRate.Result
    }

    public struct Judge: Sendable {
        public var name: String
        /// Pair-orders with a verdict or an error, and of those the errors (original pairs only).
        public var verdicts: Int
        public var errors: Int
        /// Original pairs in the study, and those with a pair verdict (conservative rule).
        public var pairs: Int
        public var pairsWithVerdict: Int
        public var agreement: [Agreement]
        public var position: Position
        public var longerPreferred: Double?
        public var lengthVotes: Int = 0
        public var lengthModel: LengthModel.Fit?
        public var winRates: [WinRate] = []
    }

    public var judges: [Judge]
    /// People with people, the ceiling each judge is compared to (nil below two people on any pair).
    public var people: Agreement?

    public static func compute(
        study: Study, items: [String: StudyItem], key: StudyKey?, votes: StudyVotes, judges: [String: DerivedJournal], bootstrap: Int,
        seed: UInt64, leftOutOfWinRates: Set<String> = []
    ) -> JudgeSection? {
        let judgeJournals = judges.filter { $0.value.kind == .judge }.sorted { $0.key < $1.key }
        guard !judgeJournals.isEmpty else { return nil }
        let pairIndex = study.itemIndex()  // the report's canonical order of original pairs
        let rubric = study.rubric
        // People's labels per pair.
        var human: [String: [(annotator: String, label: Int)]] = [:]
        for vote in votes.originals where vote.hasPreference {
            if let label = vote.label { human[vote.item, default: []].append((vote.annotator, label)) }
        }
        let people: Agreement? = {
            var comparisons: [PairClusterAgreement.Comparison] = []
            for (item, labels) in human {
                guard let index = pairIndex[item], labels.count >= 2 else { continue }
                for i in 0..<labels.count { for j in (i + 1)..<labels.count { comparisons.append(.init(pair: index, x: labels[i].label, y: labels[j].label)) } }
            }
            guard !comparisons.isEmpty else { return nil }
            return Agreement(against: "people", result: PairClusterAgreement.estimate(comparisons, replicates: bootstrap, seed: seed))
        }()
        let leads = key.map(ModelComparison.leads(key:))
        var result: [Judge] = []
        for (name, derived) in judgeJournals {
            let queue = derived.plan.queue, slots = derived.journal.state.slots
            var verdicts = 0, errors = 0, pairsWithVerdict = 0
            var position = Position(firstShare: PairClusterWinRate.estimate(.init(wins: [], ties: [], losses: []), replicates: 0, seed: seed))
            var firstWins = [Double](repeating: 0, count: pairIndex.count), firstTies = firstWins, firstLosses = firstWins
            var judgeLabel: [Int: Int] = [:]
            var byModel: [String: Int] = [:]
            var longer = 0, lengthVotes = 0
            var lengthData: [LengthModel.Observation] = []
            var lengthGroups: [String] = []
            // Per model pair: consistent and conservative tallies, one verdict per pair.
            var tallies: [String: (consistent: [Int: Int], conservative: [Int: Int])] = [:]
            for slot in stride(from: 0, to: queue.count - 1, by: 2) {
                let entry = queue[slot], swapped = queue[slot + 1]
                guard let index = pairIndex[entry.item] else { continue }  // a hidden repeat, or not in the report
                let one = slots[slot], two = slots[slot + 1]
                func outcome(_ judgment: SlotJudgment, _ shown: QueueEntry) -> (error: Bool, favoured: String??)? {
                    if judgment.verdictError != nil { return (true, nil) }
                    guard let id = judgment.preference, let option = rubric.preference.option(id) else { return nil }
                    return (false, .some(option.favours.map(shown.response(on:))))
                }
                let first = outcome(one, entry), second = outcome(two, swapped)
                for (o, shown) in [(first, entry), (second, swapped)] {
                    guard let o else { continue }
                    verdicts += 1
                    if o.error { errors += 1; continue }
                    guard let favoured = o.favoured else { continue }
                    if let response = favoured {
                        if response == shown.a { firstWins[index] += 1 } else { firstLosses[index] += 1 }
                    } else {
                        firstTies[index] += 1
                    }
                    // Length: every non-tie verdict, each order its own vote, clustered by pair.
                    if let key, let leads, let response = favoured, let item = items[entry.item] {
                        let (ma, mb) = (key.model(pair: entry.item, response: entry.a) ?? "?", key.model(pair: entry.item, response: entry.b) ?? "?")
                        let leading = leads(ma, mb) ? entry.a : entry.b, trailing = leading == entry.a ? entry.b : entry.a
                        let lengthLeading = item.response(leading)?.text.count ?? 0, lengthTrailing = item.response(trailing)?.text.count ?? 0
                        if lengthLeading != lengthTrailing {
                            lengthVotes += 1
                            let chosenLength = response == leading ? lengthLeading : lengthTrailing
                            if chosenLength == max(lengthLeading, lengthTrailing) { longer += 1 }
                        }
                        let group = [key.model(pair: entry.item, response: leading) ?? "?", key.model(pair: entry.item, response: trailing) ?? "?"].joined(separator: "\u{1F}")
                        lengthGroups.append(group)
                        lengthData.append(LengthModel.Observation(
                            pair: index, group: 0,
                            logLengthDifference: log(Double(max(1, lengthLeading))) - log(Double(max(1, lengthTrailing))), firstWon: response == leading))
                    }
                }
                // Position consistency over both orders.
                if let first, let second {
                    position.bothOrders += 1
                    if first.error || second.error {
                        position.withError += 1
                    } else if let x = first.favoured, let y = second.favoured {
                        switch (x, y) {
                        case (nil, nil):
                            position.consistent += 1
                            position.consistentTies += 1
                        case (.some(let a), .some(let b)) where a == b:
                            position.consistent += 1
                            if let key, let model = key.model(pair: entry.item, response: a) { byModel[model, default: 0] += 1 }
                        case (.some(let a), .some(let b)):
                            if a == entry.a && b == swapped.a { position.firstPosition += 1 } else { position.secondPosition += 1 }
                        default:
                            position.tieInOneOrder += 1
                        }
                    }
                } else if first != nil || second != nil {
                    // Judged in one order only, an error there included (counted in `errors`): the rows above
                    // partition the pairs judged in both orders.
                    position.oneOrderOnly += 1
                }
                // The pair verdict (conservative rule) for agreement and win rates.
                let canonicalFirst = min(entry.a, entry.b)
                if let verdict = JudgeAsAnnotator.pairVerdict(one, two, entry: entry, swapped: swapped, rubric: rubric) {
                    pairsWithVerdict += 1
                    switch verdict {
                    case .tie: judgeLabel[index] = 1
                    case .favours(let response): judgeLabel[index] = response == canonicalFirst ? 0 : 2
                    }
                    if let key, let leads, !leftOutOfWinRates.contains(entry.item) {
                        let (ma, mb) = (key.model(pair: entry.item, response: entry.a) ?? "?", key.model(pair: entry.item, response: entry.b) ?? "?")
                        let (lead, trail) = leads(ma, mb) ? (ma, mb) : (mb, ma)
                        let group = lead + "\u{1F}" + trail
                        var tally = tallies[group] ?? ([:], [:])
                        let score: Int
                        switch verdict {
                        case .tie: score = 1
                        case .favours(let response): score = key.model(pair: entry.item, response: response) == lead ? 2 : 0
                        }
                        tally.conservative[index] = score
                        // Consistent: both orders judged, no error, the same verdict (a tie both ways included).
                        let bothAgree: Bool = {
                            guard let f = first, let s = second, !f.error, !s.error, let x = f.favoured, let y = s.favoured else { return false }
                            return x == y
                        }()
                        if bothAgree { tally.consistent[index] = score }
                        tallies[group] = tally
                    }
                }
            }
            position.consistentByModel = key == nil ? nil : byModel
            // Only pairs with a verdict are clusters of this share.
            let judged = firstWins.indices.filter { firstWins[$0] + firstTies[$0] + firstLosses[$0] > 0 }
            position.firstShare = PairClusterWinRate.estimate(
                .init(wins: judged.map { firstWins[$0] }, ties: judged.map { firstTies[$0] }, losses: judged.map { firstLosses[$0] }),
                replicates: bootstrap, seed: seed)
            // Agreement with each person and with the majority.
            var agreements: [Agreement] = []
            let annotators = Set(human.values.flatMap { $0.map(\.annotator) }).sorted()
            for person in annotators {
                var comparisons: [PairClusterAgreement.Comparison] = []
                for (item, labels) in human {
                    guard let index = pairIndex[item], let x = judgeLabel[index], let y = labels.first(where: { $0.annotator == person })?.label else { continue }
                    comparisons.append(.init(pair: index, x: x, y: y))
                }
                guard !comparisons.isEmpty else { continue }
                agreements.append(Agreement(against: person, result: PairClusterAgreement.estimate(comparisons, replicates: bootstrap, seed: seed)))
            }
            var majority: [PairClusterAgreement.Comparison] = []
            var noMajority = 0
            for (item, labels) in human {
                guard let index = pairIndex[item], let x = judgeLabel[index] else { continue }
                var counts = [0, 0, 0]
                for label in labels { counts[label.label] += 1 }
                guard let top = counts.indices.first(where: { 2 * counts[$0] > labels.count }) else { noMajority += 1; continue }
                majority.append(.init(pair: index, x: x, y: top))
            }
            if !majority.isEmpty || noMajority > 0 {
                agreements.append(Agreement(
                    against: "majority", result: PairClusterAgreement.estimate(majority, replicates: bootstrap, seed: seed),
                    noMajority: noMajority))
            }
            var judge = Judge(
                name: name, verdicts: verdicts, errors: errors, pairs: pairIndex.count, pairsWithVerdict: pairsWithVerdict, agreement: agreements,
                position: position)
            if key != nil {
                let groupIndex = Dictionary(uniqueKeysWithValues: Set(lengthGroups).sorted().enumerated().map { ($1, $0) })
                for k in lengthData.indices { lengthData[k].group = groupIndex[lengthGroups[k]]! }
                judge.longerPreferred = lengthVotes > 0 ? Double(longer) / Double(lengthVotes) : nil
                judge.lengthVotes = lengthVotes
                judge.lengthModel = LengthModel.fit(lengthData)
                for (group, tally) in tallies.sorted(by: { $0.key < $1.key }) {
                    let names = group.components(separatedBy: "\u{1F}")
                    func result(_ scores: [Int: Int], stream: UInt64) -> PairClusterWinRate.Result {
                        let ordered = scores.keys.sorted()
                        return PairClusterWinRate.estimate(
                            .init(wins: ordered.map { scores[$0] == 2 ? 1 : 0 }, ties: ordered.map { scores[$0] == 1 ? 1 : 0 },
                                  losses: ordered.map { scores[$0] == 0 ? 1 : 0 }),
                            replicates: bootstrap, seed: seed &+ stream)
                    }
                    let values = tally.consistent.values
                    judge.winRates.append(WinRate(
                        first: names[0], second: names[1], consistent: result(tally.consistent, stream: 0),
                        consistentCounts: (values.filter { $0 == 2 }.count, values.filter { $0 == 1 }.count, values.filter { $0 == 0 }.count),
                        conservative: result(tally.conservative, stream: 1)))
                }
            }
            result.append(judge)
        }
        return JudgeSection(judges: result, people: people)
    }
}
