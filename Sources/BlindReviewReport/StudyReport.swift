import AgreementStats
import BlindReviewCore
import Foundation

/// The lead's report: coverage, agreement, annotator quality and, with the key, the unblinded results.
///
///     let report = try StudyReport.build(store: store, keyFile: key, bootstrap: 1000, seed: 1)
///     print(report.text())
public struct StudyReport: Sendable {
    public var study: Study
    public var progress: [AnnotatorProgress]
    /// How many pairs have a preference from 0, 1, 2, ... annotators.
    public var coverage: [Int: Int]
    public var agreement: AgreementSection
    public var annotators: [AnnotatorQuality]
    /// The position test pooled over all annotators (pair-clustered).
    public var position: AnnotatorQuality.PooledPosition
    public var results: ModelComparison?
    public var refusedJournals: [String]
    public var warnings: [String]
    public var bootstrap: Int
    /// What the win-rate intervals resampled (``ResamplingUnit``); other intervals resample pairs.
    public var resampling: ResamplingUnit

    /// The report JSON's version. 2: pair-cluster intervals and tests (`win_rate_no_ties_wilson95`, the vote sign
    /// tests and `agreement_with_others` gone; `resampling`, `position`, `study_id`, `seeded` added).
    public static let jsonSchemaVersion = 2

    /// For a graded preference scale: mean strength per pair of models and ordinal agreement on the scale.
    public var graded: GradedPreference?

    /// Judges' or adjudicators' journals the report counts (`--include-judges`, `--adjudicated`) that belong to
    /// another user (``ForeignJournals``): shown at the top of every format, and among the JSON's `warnings`.
    public var foreignJournals: [String] = []

    /// Pairs annotators flagged in the annotation screen (broken, duplicate, offensive, unsure).
    public var flagged = FlaggedPairs(flags: [])

    /// `report --by KEY`: the results again within each group of pairs.
    public var grouped: GroupedResults?

    /// Each annotator's accuracy on gold pairs (nil without a key or without gold pairs).
    public var gold: GoldAccuracy?
    /// Gold pairs left out of the model comparison (0 with `--include-gold`).
    public var goldLeftOut = 0
    /// With `--adjudicated`: how many pairs the adjudicators decided.
    public var adjudication: AdjudicatedVotes?
    /// "Judge against people": each LLM judge's agreement with the people, position consistency, length bias
    /// and win rate (nil when the study has no judge's journal).
    public var judge: JudgeSection?
    /// Judges counted as annotators (`--include-judges`); empty otherwise.
    public var judgesIncluded: [String] = []

    /// When the report was made (the HTML header shows it; nil means now).
    public var generated: Date?

    /// True when the key says the study was made with `--seed` (anyone who knows the seed can unblind it).
    public var seeded: Bool?

    /// The number of pairs, hidden repeats not counted (when the key tells them apart).
    public var pairCount: Int { coverage.values.reduce(0, +) }

    /// The one-line caveat every format prints for a seeded study.
    public var seededNotice: String? {
        seeded == true ? "seeded study: it was created with --seed, so anyone who knows the seed can recompute which model wrote what" : nil
    }

    /// Loads everything and computes the report. Without `keyFile` (or with `blind`) the report stays blind; a
    /// blind report still reads the key when it is given, only to tell hidden repeats from other pairs.
    ///
    /// The report depends on the votes and `seed` only: pairs are put in a canonical order that comes from their
    /// text (``CanonicalPairOrder``) before any resampling, and every agreement figure is free of which response
    /// of a pair is "first", so neither the blinding secret nor the random ids change a number, and a blind and
    /// a keyed report agree on every figure they share.
    public static func build(
        store: StudyStore, keyFile: URL?, blind: Bool, bootstrap: Int = 1000, seed: UInt64 = 1, resampling: ResamplingUnit = .pairs,
        by: String? = nil, includeJudges: Bool = false, choices: ReportChoices = ReportChoices(), progress: ProgressReporter? = nil,
        computing: ProgressReporter? = nil
    ) throws -> StudyReport {
        var (study, hash) = try store.load()
        let key = try keyFile.map { try StudyStore.loadKey(at: $0, for: study) }
        var journals = StudyJournals.load(store: store, study: study, studySHA256: hash, progress: progress)
        progress?.finish()
        var items: [String: StudyItem] = [:]
        for item in try store.loadItems(for: study).all() { items[item.id] = item }
        // --include-judges: each judge becomes one more annotator (one verdict per pair; see JudgeAsAnnotator).
        if includeJudges { (study, journals) = JudgeAsAnnotator.merge(study: study, journals: journals) }
        var report = compute(
            study: study, items: items, key: key, blind: blind, journals: journals, bootstrap: bootstrap, seed: seed, resampling: resampling, by: by,
            choices: choices, steps: computing)
        computing?.finish()
        if includeJudges { report.judgesIncluded = journals.derived.filter { $0.value.kind == .judge }.keys.sorted() }
        let used = Set<AnnotatorKind>((includeJudges ? [.judge] : []) + (choices.adjudicated ? [.adjudicator] : []))
        report.foreignJournals = ForeignJournals.warnings(store: store, derived: journals.derived, kinds: used)
        report.warnings += report.foreignJournals
        return report
    }

    public static func compute(
        study original: Study, items: [String: StudyItem], key: StudyKey?, blind: Bool = false, journals: StudyJournals, bootstrap: Int,
        seed: UInt64, resampling: ResamplingUnit = .pairs, by: String? = nil, choices: ReportChoices = ReportChoices(),
        steps: ProgressReporter? = nil
    ) -> StudyReport {
        // Progress in the report's own parts (each with its bootstrap), for a terminal watching a large study.
        steps?.update(0, total: StudyReport.computeSteps)
        let repeats = RepeatMap(study: original, key: key)
        // The pairs the report is about, without hidden repeats (their votes are read as the original's), in an
        // order that does not depend on the blinding secret.
        let votes = StudyVotes.collect(study: original, journals: journals.journals, repeats: repeats)
        var study = original
        study.itemIDs = CanonicalPairOrder.order(original.itemIDs.filter { repeats.origins[$0] == nil && original.withdrawn[$0] == nil }, items: items, votes: votes, key: key)
        var perItem: [String: Set<String>] = [:]
        for vote in votes.originals where vote.hasPreference { perItem[vote.item, default: []].insert(vote.annotator) }
        var coverage: [Int: Int] = [:]
        for id in study.itemIDs { coverage[perItem[id]?.count ?? 0, default: 0] += 1 }
        let unblinded = blind ? nil : key
        // Keyed reports add preference agreement with each pair oriented by model: the leading model of the pair
        // ("candidate vs reference", see ModelComparison.leads) first.
        let orientation = unblinded.map { key in
            let leads = ModelComparison.leads(key: key)
            return AgreementSection.Orientation(description: "each pair with its candidate model first: the baseline, else the earlier --model, second") { vote in
                let (a, b) = (vote.entry.a, vote.entry.b)
                return leads(key.model(pair: vote.item, response: a) ?? "", key.model(pair: vote.item, response: b) ?? "") ? a : b
            }
        }
        let agreement = AgreementSection.compute(study: study, votes: votes, bootstrap: bootstrap, seed: seed, orientation: orientation)
        steps?.advance()
        let quality = AnnotatorQuality.compute(
            votes: votes, kappas: agreement.preference?.cohen ?? [], pairOrder: study.itemIndex(), bootstrap: bootstrap, seed: seed)
        steps?.advance()
        var warnings = (original.amendmentWarnings + journals.warnings).map(\.description)
        if !repeats.isKnown {
            warnings.append("without the key, hidden repeats cannot be told from other pairs: they count as pairs here and self-consistency is not measured (pass --key to tell them apart; it is read for nothing else in a blind report)")
        }
        // The model comparison: gold pairs out unless asked for, adjudicated verdicts in where asked for.
        let chosen = choices.resultVotes(votes, study: original, key: key, derived: journals.derived, repeats: repeats)
        let resultVotes = chosen.votes
        var resultStudy = study
        if !choices.includeGold, let gold = key?.gold { resultStudy.itemIDs.removeAll { gold[$0] != nil } }
        let results = unblinded.map { ModelComparison.compute(study: resultStudy, items: items, key: $0, votes: resultVotes, bootstrap: bootstrap, seed: seed, resampling: resampling) }
        steps?.advance()
        if let warning = results?.bradleyTerryWarning { warnings.append("Bradley-Terry: " + warning) }
        var report = StudyReport(
            study: study, progress: StudyStatus.progress(study: original, journals: journals.journals, repeats: repeats), coverage: coverage,
            agreement: agreement, annotators: quality.annotators, position: quality.pooled,
            results: results,
            refusedJournals: journals.refused.map(\.description), warnings: warnings, bootstrap: bootstrap, resampling: resampling)
        report.seeded = key?.seeded
        report.flagged = FlaggedPairs.collect(study: original, journals: journals.journals, repeats: repeats, key: key)
        if journals.derived.values.contains(where: { $0.kind == .judge }) {
            // Against the people only, also when judges were counted as annotators (--include-judges).
            let included = journals.journals.keys.contains { journals.derived[$0] != nil }
            let people = included ? StudyVotes.collect(study: original, journals: journals.journals.filter { journals.derived[$0.key] == nil }, repeats: repeats) : votes
            report.judge = JudgeSection.compute(
                study: study, items: items, key: unblinded, votes: people, judges: journals.derived, bootstrap: bootstrap, seed: seed,
                leftOutOfWinRates: choices.includeGold ? [] : Set((key?.gold ?? [:]).keys))
        }
        steps?.advance()
        report.gold = GoldAccuracy.compute(votes: votes, key: key, rubric: original.rubric, threshold: choices.goldThreshold)
        report.goldLeftOut = unblinded == nil ? 0 : chosen.goldLeftOut
        report.adjudication = chosen.adjudication
        report.graded = GradedPreference.compute(study: resultStudy, key: unblinded, votes: resultVotes, bootstrap: bootstrap, seed: seed)
        if let by {
            report.grouped = GroupedResults.compute(
                by: by, study: resultStudy, key: key, items: items, votes: resultVotes, unblinded: unblinded != nil, bootstrap: bootstrap, seed: seed,
                resampling: resampling)
        }
        steps?.advance()
        return report
    }

    /// The parts ``compute`` reports progress in: agreement, annotators, model comparison, the judge section,
    /// then graded and grouped results.
    public static let computeSteps = 5
}

extension StudyReport {
    /// What the unblinded results leave out or replace (gold pairs, adjudicated verdicts), one line each.
    public var resultNotes: [String] {
        var notes: [String] = []
        if goldLeftOut > 0 { notes.append("\(goldLeftOut) gold pair\(goldLeftOut == 1 ? "" : "s") left out of the results (--include-gold counts them)") }
        if let adjudication { notes.append(adjudication.summary) }
        return notes
    }
}
