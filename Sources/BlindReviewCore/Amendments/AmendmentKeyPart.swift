import Foundation

/// What an `add-pairs` amendment adds to the key, in a file of its own beside it: the key is never rewritten.
/// For a key `sessions/.keys/demo.json` the part of amendment 3 is `sessions/.keys/demo.amendment-3.json`
/// (mode 0600, written once like the key). ``StudyStore/loadKey(at:for:)`` returns the key with every part
/// the study's amendments call for merged in, and refuses a missing or foreign one.
///
///     {"amendment":3,"pairs":{"p…":{"responses":{"r…":"tuned","r…":"base"},"source_id":"81"}},"schema_version":1,"study_id":"4b1e…"}
public struct AmendmentKeyPart: Codable, Hashable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var studyID: String?
    public var amendment: Int
    public var pairs: [String: KeyEntry]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case studyID = "study_id"
        case amendment, pairs
    }

    public init(studyID: String?, amendment: Int, pairs: [String: KeyEntry]) {
        schemaVersion = AmendmentKeyPart.schemaVersion
        self.studyID = studyID
        self.amendment = amendment
        self.pairs = pairs
    }

    /// Where the part of amendment `seq` lives for the key at `keyFile`.
    public static func file(for keyFile: URL, seq: Int) -> URL {
        let base = keyFile.pathExtension == "json" ? keyFile.deletingPathExtension() : keyFile
        return base.deletingLastPathComponent().appendingPathComponent("\(base.lastPathComponent).amendment-\(seq).json")
    }

    /// Writes a new part beside the key, never over a file (the key folder's rules apply, see ``KeyLocation``).
    public static func write(_ part: AmendmentKeyPart, keyFile: URL) throws -> URL {
        let url = file(for: keyFile, seq: part.amendment)
        try KeyLocation.write(CanonicalJSON.encode(part, pretty: true), to: url)
        return url
    }

    /// The key with the parts of every `add-pairs` amendment of `study` merged in.
    static func merge(into key: StudyKey, keyFile: URL, study: Study) throws -> StudyKey {
        var key = key
        for added in study.addedItems {
            let url = file(for: keyFile, seq: added.seq)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw BlindReviewError(
                    file: url.path, message: "the key part of amendment \(added.seq) (add-pairs) is missing; without it the added pairs cannot be unblinded",
                    fix: "restore it from backup next to the key \(keyFile.lastPathComponent)")
            }
            let part: AmendmentKeyPart
            do {
                part = try JSONDecoder().decode(AmendmentKeyPart.self, from: try JSONLines.readFile(url.path))
            } catch let error as BlindReviewError {
                throw error
            } catch {
                throw BlindReviewError(file: url.path, message: "not a valid key part", fix: "restore it from backup")
            }
            guard part.schemaVersion <= schemaVersion else {
                throw BlindReviewError(file: url.path, message: "key part schema \(part.schemaVersion) is newer than this blindreview understands (\(schemaVersion))", fix: "update blindreview")
            }
            guard part.amendment == added.seq, part.studyID == key.studyID else {
                throw BlindReviewError(file: url.path, message: "this key part belongs to another study or amendment (amendment \(part.amendment), study id \(part.studyID ?? "none"))", fix: "restore the right file from backup")
            }
            guard Set(part.pairs.keys) == Set(added.itemIDs) else {
                throw BlindReviewError(file: url.path, message: "this key part does not hold the pairs amendment \(added.seq) added", fix: "restore the right file from backup")
            }
            for (id, entry) in part.pairs { key.pairs[id] = entry }
        }
        return key
    }
}
