import Foundation

/// Instructions for annotators (`create --guidelines FILE.md`), kept as `guidelines.md` in the study folder.
/// `study.json` records their SHA-256 (`guidelines_sha256`), so the study hash journals carry covers them and an
/// edit after creation is caught. The annotation screen shows them on a first open and under `i`.
///
///     let text = try StudyGuidelines.read(store: store, study: study)   // nil when the study has none
public enum StudyGuidelines {
    /// The largest guidelines file accepted: 256 KB.
    public static let sizeLimit = 256 * 1024

    public static func file(in store: StudyStore) -> URL { store.folder.appendingPathComponent("guidelines.md") }

    /// Reads and checks a guidelines file given to `create`.
    public static func load(path: String) throws -> String {
        let data = try JSONLines.readFile(path)
        guard data.count <= sizeLimit else {
            throw BlindReviewError(file: path, message: "guidelines of \(data.count) bytes are over the \(sizeLimit / 1024) KB limit", fix: "shorten them; link to longer material instead")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BlindReviewError(file: path, message: "invalid UTF-8", fix: "re-save the file as UTF-8")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw BlindReviewError(file: path, message: "the guidelines are empty", fix: "write the instructions, or leave out --guidelines")
        }
        return text
    }

    /// The study's guidelines, checked against the hash in `study.json`; nil when it has none.
    public static func read(store: StudyStore, study: Study) throws -> String? {
        guard let expected = study.guidelinesSHA256 else { return nil }
        let url = file(in: store)
        let data = try JSONLines.readFile(url.path)
        guard SHA256Digest.hex(of: data) == expected else {
            throw BlindReviewError(file: url.path, message: "the guidelines were changed after the study was created", fix: "restore guidelines.md from the lead's copy of the study")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
