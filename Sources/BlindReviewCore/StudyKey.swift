import Foundation

/// The unblinding key: which model wrote each response, the prompts' own ids, which pairs are hidden repeats,
/// and the study's secret. Kept outside the study folder (by default `sessions/.keys/<study>.json`, folder mode
/// 0700, file mode 0600); the study and the key share only a random `study_id`.
public struct StudyKey: Codable, Hashable, Sendable {
    /// 2: `study_id`, `secret`, `seeded`, repeats in `pairs[].repeat_of`. 1 (read only): `seed` only.
    public static let schemaVersion = 2

    public var schemaVersion: Int
    public var study: String
    /// The random identifier the study also holds (nil in version 1 keys, which were matched by SHA-256).
    public var studyID: String?
    /// The study's 256-bit secret as hex (nil in version 1 keys). With it every id, side and order can be redrawn.
    public var secret: String?
    /// True when the study was made with `--seed`: then anyone who knows the seed can recompute the mapping.
    public var seeded: Bool
    /// The `--seed` given, when seeded (version 1 keys always hold one: their seeds had only 32 random bits).
    public var seed: UInt64?
    public var models: [String]
    public var baseline: String?
    /// Pair id to its source prompt id and the model of each response id.
    public var pairs: [String: KeyEntry]
    /// Gold (known-answer) pairs from `create --gold`: pair id to the response expected to win. nil when the study
    /// has none. Only the key says which pairs are gold; nothing annotators can read differs for them.
    public var gold: [String: GoldAnswer]?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case study
        case studyID = "study_id"
        case secret, seeded, seed, models, baseline, pairs, gold
    }

    public init(study: String, studyID: String, secret: StudySecret, models: [String], baseline: String?, pairs: [String: KeyEntry]) {
        schemaVersion = StudyKey.schemaVersion
        self.study = study
        self.studyID = studyID
        self.secret = secret.hex
        seeded = secret.seed != nil
        seed = secret.seed
        self.models = models
        self.baseline = baseline
        self.pairs = pairs
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        study = try container.decode(String.self, forKey: .study)
        studyID = try container.decodeIfPresent(String.self, forKey: .studyID)
        secret = try container.decodeIfPresent(String.self, forKey: .secret)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        // Version 1 keys had no `seeded`: all of them were made from a (32-bit) seed.
        seeded = try container.decodeIfPresent(Bool.self, forKey: .seeded) ?? true
        models = try container.decode([String].self, forKey: .models)
        baseline = try container.decodeIfPresent(String.self, forKey: .baseline)
        pairs = try container.decode([String: KeyEntry].self, forKey: .pairs)
        gold = try container.decodeIfPresent([String: GoldAnswer].self, forKey: .gold)
    }

    /// True when `pair` is a gold pair (a hidden repeat of a gold pair is read as its original by the report).
    public func isGold(_ pair: String) -> Bool { gold?[pair] != nil }

    /// The model that wrote a response, if the key knows the pair and response.
    public func model(pair: String, response: String) -> String? {
        pairs[pair]?.responses[response]
    }

    /// The study's pairs without hidden repeats and withdrawn pairs, in the order of the inputs it was made from
    /// (pairs added by amendments after them; version 1 keys: the study's order).
    public func pairsInInputOrder(study: Study) -> [String] {
        // Each pair's sort key (input index, else its position; then its position) found once, not per comparison.
        var order: [(index: Int, position: Int, id: String)] = []
        order.reserveCapacity(study.itemIDs.count)
        for id in study.itemIDs {
            guard let entry = pairs[id] else {
                if study.withdrawn[id] == nil { order.append((order.count, order.count, id)) }
                continue
            }
            guard entry.repeatOf == nil, study.withdrawn[id] == nil else { continue }
            order.append((entry.inputIndex ?? order.count, order.count, id))
        }
        return order.sorted { ($0.index, $0.position) < ($1.index, $1.position) }.map(\.id)
    }

    /// The study's secret, when the key holds one (version 2).
    public var studySecret: StudySecret? {
        secret.flatMap { StudySecret(hex: $0, seed: seeded ? seed : nil) }
    }
}

/// Where a hidden repeat came from: the pair it repeats and, for each of its response ids, the response id of
/// the same model's text in that pair.
public struct RepeatOrigin: Codable, Hashable, Sendable {
    public var item: String
    public var responses: [String: String]

    public init(item: String, responses: [String: String]) {
        self.item = item
        self.responses = responses
    }
}

public struct KeyEntry: Codable, Hashable, Sendable {
    public var sourceID: String
    /// Response id to model name.
    public var responses: [String: String]
    /// The response ids in input order: for `--pairs` input, [response_a, response_b]; for model files, the
    /// order of the `--model` flags. `import` uses it to read an input's a/b.
    public var inputOrder: [String]?
    /// Set when this pair is a hidden repeat (a copy shown to the same annotators with sides swapped).
    public var repeatOf: RepeatOrigin?
    /// The pair's position among the comparisons the study was made from (exports keep that order).
    public var inputIndex: Int?
    /// The prompt's category and metadata from the inputs (nil when they had none).
    public var fields: PromptFields?
    /// Per response id, the other fields of that model's answer line (`model_id`, `answer_id`, ...).
    public var responseFields: [String: [String: String]]?

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case responses
        case inputOrder = "input_order"
        case repeatOf = "repeat_of"
        case inputIndex = "input_index"
        case fields
        case responseFields = "response_fields"
    }

    public init(
        sourceID: String, responses: [String: String], inputOrder: [String]? = nil, repeatOf: RepeatOrigin? = nil, inputIndex: Int? = nil,
        fields: PromptFields? = nil
    ) {
        self.sourceID = sourceID
        self.responses = responses
        self.inputOrder = inputOrder
        self.repeatOf = repeatOf
        self.inputIndex = inputIndex
        self.fields = fields
    }
}
