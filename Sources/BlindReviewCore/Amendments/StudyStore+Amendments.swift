import Foundation

extension StudyStore {
    /// The amendment log of this study (see ``AmendmentLog``).
    public var amendmentsFile: URL { AmendmentLog.file(in: self) }

    /// The items file of the pairs amendment `seq` adds.
    public func addedItemsFile(seq: Int) -> URL { folder.appendingPathComponent("items-\(seq).jsonl") }

    /// study.json as loaded, with the log applied; refuses a log that was cut while files of later amendments
    /// remain (an `items-<seq>.jsonl` no amendment names).
    func applyAmendments(to study: Study, studySHA256: String) throws -> Study {
        let log = try AmendmentLog.read(store: self, studyID: study.studyID, studySHA256: studySHA256)
        var effective = try study.applying(log, file: amendmentsFile.path)
        effective.amendmentWarnings = log.warnings
        try checkNoStrayItemsFiles(effective, log: log)
        return effective
    }

    /// An `items-<seq>.jsonl` no amendment names means the log lost lines (or an `add-pairs` was interrupted after
    /// writing its files): either way the study cannot be trusted as it reads.
    func checkNoStrayItemsFiles(_ study: Study, log: AmendmentLog.Contents) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let named = Set(study.addedItems.map(\.file))
        for name in names.sorted() where name.hasPrefix("items-") && name.hasSuffix(".jsonl") && !named.contains(name) {
            let digits = name.dropFirst("items-".count).dropLast(".jsonl".count)
            guard let seq = Int(digits) else { continue }
            let last = log.entries.last?.line ?? 1
            throw BlindReviewError(
                file: amendmentsFile.path, line: last,
                message: "\(name) is in the study folder but no amendment names it: the log ends at amendment \(log.entries.count) and was cut, or the `add-pairs` that would be amendment \(seq) was interrupted",
                fix: "restore amendments.jsonl from the lead's copy; if an `amend add-pairs` was interrupted, remove \(name) (and the key part of amendment \(seq)) and run it again")
        }
    }
}
