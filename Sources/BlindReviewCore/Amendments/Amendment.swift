import Foundation

/// Slots appended to the end of one annotator's queue by an amendment. Existing slots never move or change.
///
///     {"annotator":"bob","entries":[{"a":"r5c0…","b":"r09a…","item":"p3c1…"}]}
public struct QueueAppend: Codable, Hashable, Sendable {
    public var annotator: String
    public var entries: [QueueEntry]

    public init(annotator: String, entries: [QueueEntry]) {
        self.annotator = annotator
        self.entries = entries
    }
}

/// One change to a running study, as `amendments.jsonl` stores it. Every change carries exactly what
/// annotators see (queues with their sides, opaque pair ids, file hashes) and nothing derived from the key's
/// mapping: which model wrote a response, and the prompts' own ids, go to a key part beside the key
/// (``AmendmentKeyPart``).
///
///     {"type":"withdraw","pair":"p3c1f0a9b2d4e6f80"}
///     {"type":"add-annotator","annotator":"dave","queue":[{"a":"r…","b":"r…","item":"p…"}]}
public enum AmendmentChange: Hashable, Sendable {
    /// A new annotator with their whole queue.
    case addAnnotator(name: String, queue: [QueueEntry])
    /// An annotator stops (their judgments stay and count); `reassigned`: their unfinished pairs handed to others.
    case retireAnnotator(name: String, reassigned: [QueueAppend])
    /// A pair no one should rate any more; its judgments stay in the journals but leave reports and exports.
    case withdraw(pair: String)
    /// New pairs: their text in `itemsFile` (in the study folder, `itemsSHA256` its hash), their ids in order,
    /// and the slots appended to annotators' queues.
    case addPairs(itemsFile: String, itemsSHA256: String, itemIDs: [String], appended: [QueueAppend])
    /// More annotators on existing pairs.
    case addOverlap(appended: [QueueAppend])

    /// The `type` string stored in the log.
    public var kind: String {
        switch self {
        case .addAnnotator: return "add-annotator"
        case .retireAnnotator: return "retire-annotator"
        case .withdraw: return "withdraw"
        case .addPairs: return "add-pairs"
        case .addOverlap: return "add-overlap"
        }
    }

    /// Every kind this version understands.
    public static let kinds = ["add-annotator", "retire-annotator", "withdraw", "add-pairs", "add-overlap"]

    /// The slots this change appends to existing annotators' queues.
    public var appended: [QueueAppend] {
        switch self {
        case .retireAnnotator(_, let list), .addPairs(_, _, _, let list), .addOverlap(let list): return list
        case .addAnnotator, .withdraw: return []
        }
    }

    /// One line for people: "add-pairs: 12 pairs, 24 slots to alice, bob".
    public var summary: String {
        func slots(_ list: [QueueAppend]) -> String {
            let total = list.reduce(0) { $0 + $1.entries.count }
            guard total > 0 else { return "" }
            return ", \(total) slot\(total == 1 ? "" : "s") to \(list.map(\.annotator).joined(separator: ", "))"
        }
        switch self {
        case .addAnnotator(let name, let queue): return "add-annotator \(name): \(queue.count) pairs"
        case .retireAnnotator(let name, let list): return "retire-annotator \(name)" + (list.isEmpty ? "" : ": unfinished pairs reassigned" + slots(list))
        case .withdraw(let pair): return "withdraw \(pair)"
        case .addPairs(_, _, let ids, let list): return "add-pairs: \(ids.count) pair\(ids.count == 1 ? "" : "s")" + slots(list)
        case .addOverlap(let list): return "add-overlap" + (list.isEmpty ? ": nothing to add" : ":" + slots(list).dropFirst())
        }
    }
}

extension AmendmentChange: Codable {
    enum CodingKeys: String, CodingKey {
        case type, annotator, queue, pair, append
        case itemsFile = "items_file"
        case itemsSHA256 = "items_sha256"
        case itemIDs = "item_ids"
    }

    /// A `type` this version does not know (written by a newer blindreview, or edited in).
    public struct UnknownKind: Error {
        public var kind: String
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "add-annotator":
            self = .addAnnotator(name: try container.decode(String.self, forKey: .annotator), queue: try container.decode([QueueEntry].self, forKey: .queue))
        case "retire-annotator":
            self = .retireAnnotator(
                name: try container.decode(String.self, forKey: .annotator),
                reassigned: try container.decodeIfPresent([QueueAppend].self, forKey: .append) ?? [])
        case "withdraw":
            self = .withdraw(pair: try container.decode(String.self, forKey: .pair))
        case "add-pairs":
            self = .addPairs(
                itemsFile: try container.decode(String.self, forKey: .itemsFile), itemsSHA256: try container.decode(String.self, forKey: .itemsSHA256),
                itemIDs: try container.decode([String].self, forKey: .itemIDs), appended: try container.decode([QueueAppend].self, forKey: .append))
        case "add-overlap":
            self = .addOverlap(appended: try container.decode([QueueAppend].self, forKey: .append))
        default:
            throw UnknownKind(kind: type)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .type)
        switch self {
        case .addAnnotator(let name, let queue):
            try container.encode(name, forKey: .annotator)
            try container.encode(queue, forKey: .queue)
        case .retireAnnotator(let name, let list):
            try container.encode(name, forKey: .annotator)
            try container.encode(list, forKey: .append)
        case .withdraw(let pair):
            try container.encode(pair, forKey: .pair)
        case .addPairs(let file, let hash, let ids, let list):
            try container.encode(file, forKey: .itemsFile)
            try container.encode(hash, forKey: .itemsSHA256)
            try container.encode(ids, forKey: .itemIDs)
            try container.encode(list, forKey: .append)
        case .addOverlap(let list):
            try container.encode(list, forKey: .append)
        }
    }
}

/// One line of `amendments.jsonl` after the header: its number, time, the SHA-256 of the line before it (the
/// header's for number 1), the change and the lead's reason.
///
///     {"change":{"pair":"p3c1…","type":"withdraw"},"prev":"9f2c…","reason":"truncated response","seq":2,"t":"2026-12-01T18:02:11.120Z"}
public struct AmendmentEntry: Codable, Hashable, Sendable {
    public var seq: Int
    public var t: String
    public var prev: String
    public var change: AmendmentChange
    public var reason: String?

    public init(seq: Int, t: String, prev: String, change: AmendmentChange, reason: String?) {
        self.seq = seq
        self.t = t
        self.prev = prev
        self.change = change
        self.reason = reason
    }
}

/// The first line of `amendments.jsonl`: which study the log amends (its `study_id` and the SHA-256 of its
/// `study.json`, which never changes).
///
///     {"schema":1,"study_id":"4b1e…","study_sha256":"9f2c…","type":"amendments"}
public struct AmendmentHeader: Codable, Hashable, Sendable {
    /// 1: the first version.
    public static let schemaVersion = 1

    public var type: String
    public var schema: Int
    public var studyID: String?
    public var studySHA256: String

    enum CodingKeys: String, CodingKey {
        case type, schema
        case studyID = "study_id"
        case studySHA256 = "study_sha256"
    }

    public init(studyID: String?, studySHA256: String) {
        type = "amendments"
        schema = AmendmentHeader.schemaVersion
        self.studyID = studyID
        self.studySHA256 = studySHA256
    }
}

/// What the effective study remembers of one amendment, for `report` and `status`.
public struct AmendmentRecord: Hashable, Sendable {
    public var seq: Int
    public var time: String
    public var change: AmendmentChange
    public var reason: String?
}
