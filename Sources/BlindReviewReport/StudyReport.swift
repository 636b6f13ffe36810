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
    public var results: ModelComparison?
    public var refusedJournals: [String]
    public var warnings: [String]
    public var bootstrap: Int

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
    public static func build(store: StudyStore, keyFile: URL?, blind: Bool, bootstrap: Int = 1000, seed: UInt64 = 1) throws -> StudyReport {
        let (study, hash) = try store.load()
        let key = try keyFile.map { try StudyStore.loadKey(at: $0, for: study) }
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        var items: [String: StudyItem] = [:]
        if key != nil && !blind {
            for item in try store.loadItems(for: study).all() { items[item.id] = item }
        }
        return compute(study: study, items: items, key: key, blind: blind, journals: journals, bootstrap: bootstrap, seed: seed)
    }

    public static func compute(
        study: Study, items: [String: StudyItem], key: StudyKey?, blind: Bool = false, journals: StudyJournals, bootstrap: Int, seed: UInt64
    ) -> StudyReport {
        let repeats = RepeatMap(study: study, key: key)
        let votes = StudyVotes.collect(study: study, journals: journals.journals, repeats: repeats)
        var perItem: [String: Set<String>] = [:]
        for vote in votes.originals where vote.hasPreference { perItem[vote.item, default: []].insert(vote.annotator) }
        var coverage: [Int: Int] = [:]
        for id in study.itemIDs where repeats.origins[id] == nil { coverage[perItem[id]?.count ?? 0, default: 0] += 1 }
        var warnings = journals.warnings.map(\.description)
        if !repeats.isKnown {
            warnings.append("without the key, hidden repeats cannot be told from other pairs: they count as pairs here and self-consistency is not measured (pass --key to tell them apart; it is read for nothing else in a blind report)")
        }
        var report = StudyReport(
            study: study, progress: StudyStatus.progress(study: study, journals: journals.journals, repeats: repeats), coverage: coverage,
            agreement: AgreementSection.compute(study: study, votes: votes, bootstrap: bootstrap, seed: seed),
            annotators: AnnotatorQuality.compute(votes: votes),
            results: blind ? nil : key.map { ModelComparison.compute(study: study, items: items, key: $0, votes: votes, bootstrap: bootstrap, seed: seed) },
            refusedJournals: journals.refused.map(\.description), warnings: warnings, bootstrap: bootstrap)
        report.seeded = key?.seeded
        return report
    }
}
