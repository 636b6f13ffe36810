import Foundation

/// A blinded study: what annotators see. Nothing in it names a model or is derived from the key's contents; the
/// mapping, the prompts' own ids and which pairs are hidden repeats live in the ``StudyKey``.
///
/// On disk it is `study.json` in the study folder (see ``StudyStore``), written with sorted keys so that the same
/// inputs and seed give the same bytes. The pairs' text is in `items.jsonl` beside it (one pair per line, in
/// `itemIDs` order, read on demand: see ``StudyItems``); `study.json` records that file's SHA-256, so the hash
/// of `study.json` (which journals carry) covers everything annotators see.
public struct Study: Codable, Hashable, Sendable {
    /// 2: a random `study_id` links study and key; item ids are opaque; repeats are ordinary-looking items.
    /// 1 (read only): `key_sha256`, prompt ids as item ids, repeats marked in the queue.
    public static let schemaVersion = 2

    public var schemaVersion: Int
    public var name: String
    public var rubric: Rubric
    public var rubricSHA256: String
    /// 128 random bits (32 hex digits) stored in both the study and its key; nil only in version 1 studies.
    public var studyID: String?
    /// Version 1 only: the key's SHA-256. Never written by this version (it let a guessed mapping be confirmed).
    public var legacyKeySHA256: String?
    /// The pair ids, in the order of `items.jsonl`.
    public var itemIDs: [String]
    public var itemsSHA256: String
    public var annotators: [AnnotatorPlan]
    public var redacted: Bool
    /// SHA-256 of `guidelines.md` in the study folder, when the study has guidelines (see ``StudyGuidelines``).
    public var guidelinesSHA256: String?

    // The effective study: what `amendments.jsonl` changed (see ``AmendmentLog``). Never written to study.json.

    /// Withdrawn pairs and the lead's reason (empty when none was given).
    public var withdrawn: [String: String] = [:]
    /// Retired annotators and the amendment that retired them; their plans stay, their judgments count.
    public var retired: [String: Int] = [:]
    /// Every amendment applied, in order.
    public var amendments: [AmendmentRecord] = []
    /// The items files added pairs live in, in log order (see ``StudyStore/loadItems(for:)``).
    public var addedItems: [AddedItems] = []
    /// What reading the log found worth a warning (a last line cut off by a crash during `amend`).
    public var amendmentWarnings: [BlindReviewWarning] = []

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case name, rubric
        case rubricSHA256 = "rubric_sha256"
        case studyID = "study_id"
        case legacyKeySHA256 = "key_sha256"
        case itemIDs = "item_ids"
        case itemsSHA256 = "items_sha256"
        case annotators, redacted
        case guidelinesSHA256 = "guidelines_sha256"
    }

    public init(
        name: String, studyID: String, rubric: Rubric, itemIDs: [String], itemsSHA256: String,
        annotators: [AnnotatorPlan], redacted: Bool
    ) {
        schemaVersion = Study.schemaVersion
        self.name = name
        self.studyID = studyID
        self.rubric = rubric
        rubricSHA256 = RubricLoader.sha256(rubric)
        self.itemIDs = itemIDs
        self.itemsSHA256 = itemsSHA256
        self.annotators = annotators
        self.redacted = redacted
    }

    /// The plan of one annotator, if the study has one of that name.
    public func plan(for annotator: String) -> AnnotatorPlan? {
        annotators.first { $0.name == annotator }
    }

    /// Whether `annotator` was retired by an amendment.
    public func isRetired(_ annotator: String) -> Bool { retired[annotator] != nil }

    /// This study with one more plan (a judge's or an adjudicator's derived plan), so that code reading
    /// `plan(for:)` (the journal loader and writer, the UI) handles it like any other; `study.json` never holds it.
    public func adding(_ plan: AnnotatorPlan) -> Study {
        var copy = self
        copy.annotators.append(plan)
        return copy
    }

    /// Positions in `items.jsonl` by pair id.
    public func itemIndex() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: itemIDs.enumerated().map { ($1, $0) })
    }
}

/// The file holding the pairs one `add-pairs` amendment added: `items-<seq>.jsonl` in the study folder.
public struct AddedItems: Hashable, Sendable {
    public var seq: Int
    public var file: String
    public var sha256: String
    public var itemIDs: [String]
}

/// One pair: a prompt and two anonymous responses.
public struct StudyItem: Codable, Hashable, Sendable {
    /// The opaque pair id (`p` and 16 hex digits).
    public var id: String
    /// Version 1 studies only: the prompt id in the inputs. Since version 2 it lives in the key.
    public var legacySourceID: String?
    /// The conversation before the responses; several user turns for a multi-turn prompt.
    public var prompt: [ChatMessage]
    /// The gold answer, one entry per turn, when the inputs had one.
    public var reference: [String]?
    /// Exactly two responses, in order of their opaque ids (so their order says nothing).
    public var responses: [BlindResponse]

    enum CodingKeys: String, CodingKey {
        case id
        case legacySourceID = "source_id"
        case prompt, reference, responses
    }

    public init(id: String, prompt: [ChatMessage], reference: [String]?, responses: [BlindResponse]) {
        self.id = id
        self.prompt = prompt
        self.reference = reference
        self.responses = responses
    }

    public func response(_ id: String) -> BlindResponse? { responses.first { $0.id == id } }
}

/// A response under an opaque id; one entry in `turns` per assistant turn.
public struct BlindResponse: Codable, Hashable, Sendable {
    public var id: String
    public var turns: [String]

    public init(id: String, turns: [String]) {
        self.id = id
        self.turns = turns
    }

    /// All turns as one text (for length comparisons and exports).
    public var text: String { turns.joined(separator: "\n\n") }
}

/// The pairs one annotator rates, in their own order, with the side each response is shown on.
public struct AnnotatorPlan: Codable, Hashable, Sendable {
    public var name: String
    public var queue: [QueueEntry]
    /// nil for a person (the only kind `study.json` holds); judges and adjudicators get derived plans
    /// (``DerivedQueue``) that are never written into the study.
    public var kind: AnnotatorKind?

    public init(name: String, queue: [QueueEntry], kind: AnnotatorKind? = nil) {
        self.name = name
        self.queue = queue
        self.kind = kind == .human ? nil : kind
    }
}

/// One slot of an annotator's queue: the pair, the response shown as A (left) and as B (right).
///
/// Nothing here says whether a slot is a hidden repeat: since version 2 a repeat is a pair of its own (fresh
/// ids, a copy of the text) and only the key knows what it repeats (see ``RepeatMap``).
public struct QueueEntry: Codable, Hashable, Sendable {
    public var item: String
    public var a: String
    public var b: String
    /// Version 1 studies only: `"repeat": true` marked a hidden repeat. Never written by this version.
    public var legacyRepeat: Bool?

    enum CodingKeys: String, CodingKey {
        case item, a, b
        case legacyRepeat = "repeat"
    }

    public init(item: String, a: String, b: String) {
        self.item = item
        self.a = a
        self.b = b
    }

    public func response(on side: Side) -> String { side == .a ? a : b }

    public func side(of response: String) -> Side? {
        response == a ? .a : response == b ? .b : nil
    }
}
