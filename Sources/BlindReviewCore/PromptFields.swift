import Foundation

/// What the inputs say about a prompt besides its text: a `category` (MT-Bench's "writing", "coding", ...) and
/// a `metadata` object. They travel with the pair into the key, the exports and the report (`report --by
/// category`, or `--by` any metadata key); they stay out of what annotators see, since a model file's
/// "metadata" could differ by model and give one away.
///
///     PromptFields.read(["category": "coding", "metadata": ["source": "forum", "difficulty": 3]])
///     // PromptFields(category: "coding", metadata: ["difficulty": "3", "source": "forum"])
public struct PromptFields: Codable, Hashable, Sendable {
    public var category: String?
    /// Metadata values as text (numbers and booleans written out, nested values as compact JSON).
    public var metadata: [String: String]?

    public init(category: String? = nil, metadata: [String: String]? = nil) {
        self.category = category
        self.metadata = metadata
    }

    public var isEmpty: Bool { category == nil && (metadata?.isEmpty ?? true) }

    /// The value of a grouping key: `category`, or a metadata key.
    public func value(of key: String) -> String? {
        key == "category" ? category ?? metadata?["category"] : metadata?[key]
    }

    /// A model file line's other fields (MT-Bench's `model_id`, `answer_id`, `tstamp`, ...): about the model's
    /// answer, so they go to the key only, by response.
    public static func responseFields(_ object: [String: Any]) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in object where !knownFields.contains(key) { fields[key] = text(value) }
        return fields
    }

    /// The fields of a model file line that are not the answer's own (made once, not once per line).
    static let knownFields: Set<String> = ["id", "question_id", "prompt", "messages", "response", "choices", "reference", "category", "metadata", "turns"]

    public static func read(_ object: [String: Any]) -> PromptFields {
        var fields = PromptFields()
        if let category = object["category"] as? String, !category.isEmpty { fields.category = category }
        if let metadata = object["metadata"] as? [String: Any], !metadata.isEmpty {
            var values: [String: String] = [:]
            for (key, value) in metadata { values[key] = text(value) }
            fields.metadata = values
        }
        return fields
    }

    static func text(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return InputFields.isBoolean(number) ? (number.boolValue ? "true" : "false") : number.stringValue
        case is NSNull: return "null"
        default:
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
