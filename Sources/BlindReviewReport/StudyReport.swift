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

    /// Loads everything and computes the report. Without `keyFile` (or with `blind`) the report stays blind.
    public static func build(store: StudyStore, keyFile: URL?, blind: Bool, bootstrap: Int = 1000, seed: UInt64 = 1) throws -> StudyReport {
        let (study, hash) = try store.load()
        let key = blind ? nil : try keyFile.map { try StudyStore.loadKey(at: $0, for: study) }
        let journals = StudyJournals.load(store: store, study: study, studySHA256: hash)
        var items: [String: StudyItem] = [:]
        if key != nil {
            for item in try store.loadItems(for: study).all() { items[item.id] = item }
        }
        return compute(study: study, items: items, key: key, journals: journals, bootstrap: bootstrap, seed: seed)
    }

    public static func compute(study: Study, items: [String: StudyItem], key: StudyKey?, journals: StudyJournals, bootstrap: Int, seed: UInt64) -> StudyReport {
        let votes = StudyVotes.collect(study: study, journals: journals.journals)
        var perItem: [String: Set<String>] = [:]
        for vote in votes.originals where vote.hasPreference { perItem[vote.item, default: []].insert(vote.annotator) }
        var coverage: [Int: Int] = [:]
        for id in study.itemIDs { coverage[perItem[id]?.count ?? 0, default: 0] += 1 }
        return StudyReport(
            study: study, progress: StudyStatus.progress(study: study, journals: journals.journals), coverage: coverage,
            agreement: AgreementSection.compute(study: study, votes: votes, bootstrap: bootstrap, seed: seed),
            annotators: AnnotatorQuality.compute(votes: votes),
            results: key.map { ModelComparison.compute(study: study, items: items, key: $0, votes: votes, bootstrap: bootstrap, seed: seed) },
            refusedJournals: journals.refused.map(\.description), warnings: journals.warnings.map(\.description), bootstrap: bootstrap)
    }
}
