import Foundation

/// Every journal in a study folder, checked: each must carry this study's hash and its own annotator's name.
/// Journals that fail are listed in `refused` with the reason, and left out of `journals`.
///
///     let all = try StudyJournals.load(store: store, study: study, studySHA256: hash)
///     all.journals["alice"]?.state.slots[0].preference
public struct StudyJournals: Sendable {
    public var journals: [String: LoadedJournal]
    public var refused: [BlindReviewError]
    public var warnings: [BlindReviewWarning]

    public static func load(store: StudyStore, study: Study, studySHA256: String) -> StudyJournals {
        var result = StudyJournals(journals: [:], refused: [], warnings: [])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: store.journalsFolder.path)) ?? []
        for file in files.sorted() where file.hasSuffix(".jsonl") {
            let annotator = String(file.dropLast(".jsonl".count))
            let url = store.journalsFolder.appendingPathComponent(file)
            guard study.plan(for: annotator) != nil else {
                result.refused.append(
                    BlindReviewError(
                        file: url.path, message: "\"\(annotator)\" is not an annotator of study \"\(study.name)\"; journal refused",
                        fix: "name a journal after its annotator, or remove it from journals/"))
                continue
            }
            do {
                let loaded = try JournalLoader.load(url, study: study, studySHA256: studySHA256, annotator: annotator)
                result.journals[annotator] = loaded
                result.warnings += loaded.warnings
            } catch let error as BlindReviewError {
                result.refused.append(error)
            } catch {
                result.refused.append(BlindReviewError(file: url.path, message: "\(error)"))
            }
        }
        return result
    }
}
