import Foundation

/// The unblinding key: which model wrote each response. Kept outside the study folder (by default
/// `sessions/.keys/<study>.json`, folder mode 0700, file mode 0600); the study records only its SHA-256.
public struct StudyKey: Codable, Hashable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var study: String
    /// The seed the study was made with. Kept here, not in the study: with it, sides could be recomputed.
    public var seed: UInt64
    public var models: [String]
    public var baseline: String?
    /// Pair id to its source prompt id and the model of each response id.
    public var pairs: [String: KeyEntry]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case study, seed, models, baseline, pairs
    }

    public init(study: String, seed: UInt64, models: [String], baseline: String?, pairs: [String: KeyEntry]) {
        schemaVersion = StudyKey.schemaVersion
        self.study = study
        self.seed = seed
        self.models = models
        self.baseline = baseline
        self.pairs = pairs
    }

    /// The model that wrote a response, if the key knows the pair and response.
    public func model(pair: String, response: String) -> String? {
        pairs[pair]?.responses[response]
    }
}

public struct KeyEntry: Codable, Hashable, Sendable {
    public var sourceID: String
    /// Response id to model name.
    public var responses: [String: String]
    /// The response ids in input order: for `--pairs` input, [response_a, response_b]; for model files, the
    /// order of the `--model` flags. `import` uses it to read an input's a/b.
    public var inputOrder: [String]?

    enum CodingKeys: String, CodingKey {
        case sourceID = "source_id"
        case responses
        case inputOrder = "input_order"
    }

    public init(sourceID: String, responses: [String: String], inputOrder: [String]? = nil) {
        self.sourceID = sourceID
        self.responses = responses
        self.inputOrder = inputOrder
    }
}
