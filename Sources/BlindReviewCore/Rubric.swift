import Foundation

/// What annotators judge on each pair: scored criteria for each response, then an overall preference.
///
/// The default is ``Rubric/standard``: Accuracy, Relevance, Format compliance and Fluency on 1-5 with an anchor
/// text per point, then A / B / Tie. A study freezes its rubric (and its SHA-256) at creation.
public struct Rubric: Codable, Hashable, Sendable {
    public var name: String
    public var criteria: [Criterion]
    public var preference: PreferenceQuestion

    public init(name: String, criteria: [Criterion], preference: PreferenceQuestion) {
        self.name = name
        self.criteria = criteria
        self.preference = preference
    }

    public func criterion(_ id: String) -> Criterion? {
        criteria.first { $0.id == id }
    }
}

/// One scored criterion, rated separately for each response on the integer scale `min...max`.
public struct Criterion: Codable, Hashable, Sendable {
    /// A short identifier (letters, digits, `_`), used in journals and exported column names.
    public var id: String
    public var name: String
    public var description: String
    public var min: Int
    public var max: Int
    /// Anchor text per score, keyed by the score written as a string ("1" ... "5").
    public var anchors: [String: String]
    public var required: Bool

    public init(
        id: String, name: String, description: String, min: Int = 1, max: Int = 5,
        anchors: [String: String], required: Bool = true
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.min = min
        self.max = max
        self.anchors = anchors
        self.required = required
    }

    public var scores: ClosedRange<Int> { min...max }

    public func anchor(for score: Int) -> String? { anchors[String(score)] }

    enum CodingKeys: String, CodingKey { case id, name, description, min, max, anchors, required }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        min = try c.decodeIfPresent(Int.self, forKey: .min) ?? 1
        max = try c.decodeIfPresent(Int.self, forKey: .max) ?? 5
        anchors = try c.decodeIfPresent([String: String].self, forKey: .anchors) ?? [:]
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
    }
}

/// The overall question asked once per pair, such as "Which response is better?" with A / B / Tie.
public struct PreferenceQuestion: Codable, Hashable, Sendable {
    public var question: String
    public var options: [PreferenceOption]
    public var required: Bool

    public init(question: String, options: [PreferenceOption], required: Bool = true) {
        self.question = question
        self.options = options
        self.required = required
    }

    enum CodingKeys: String, CodingKey { case question, options, required }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        question = try c.decodeIfPresent(String.self, forKey: .question) ?? "Which response is better overall?"
        options = try c.decode([PreferenceOption].self, forKey: .options)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
    }

    public func option(_ id: String) -> PreferenceOption? { options.first { $0.id == id } }

    /// True when an option is graded above 1 (a scale such as "A much better ... B much better").
    public var isGraded: Bool { options.contains { ($0.strength ?? 1) > 1 && $0.favours != nil } }

    /// The largest strength on the scale (1 for A / B / Tie).
    public var maxStrength: Int { options.compactMap { $0.favours == nil ? nil : $0.strength ?? 1 }.max() ?? 1 }
}

/// One answer to the preference question. `favours` says which side it is for: `a`, `b` or `none` (a tie);
/// `strength` (1-3, optional) grades it, for a scale such as "A much better (2) / A better (1) / Tie / ...".
public struct PreferenceOption: Codable, Hashable, Sendable {
    public var id: String
    public var label: String
    /// The key that chooses it in the annotation UI (one character).
    public var key: String
    public var favours: Side?
    /// How strongly it favours its side (1 when not given; a tie has none). Written only when given, so that
    /// ungraded rubrics keep their hash.
    public var strength: Int?

    public init(id: String, label: String, key: String, favours: Side?, strength: Int? = nil) {
        self.id = id
        self.label = label
        self.key = key
        self.favours = favours
        self.strength = strength
    }

    /// The strength toward `side`: positive when the option favours it, negative when it favours the other,
    /// 0 for a tie.
    public func signedStrength(toward side: Side) -> Int {
        guard let favours else { return 0 }
        return (favours == side ? 1 : -1) * (strength ?? 1)
    }

    enum CodingKeys: String, CodingKey { case id, label, key, favours, strength }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? id
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? String(id.prefix(1))
        let side = try c.decodeIfPresent(String.self, forKey: .favours) ?? "none"
        switch side.lowercased() {
        case "a": favours = .a
        case "b": favours = .b
        case "none", "tie", "": favours = nil
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .favours, in: c, debugDescription: "favours must be a, b or none, not \(side)")
        }
        strength = try c.decodeIfPresent(Int.self, forKey: .strength)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(key, forKey: .key)
        try c.encode(favours?.rawValue ?? "none", forKey: .favours)
        try c.encodeIfPresent(strength, forKey: .strength)
    }
}

/// A side of the screen: A is shown left (or on top), B right (or below).
public enum Side: String, Codable, Hashable, Sendable, CaseIterable {
    case a, b
    public var other: Side { self == .a ? .b : .a }
    public var label: String { self == .a ? "A" : "B" }
}
