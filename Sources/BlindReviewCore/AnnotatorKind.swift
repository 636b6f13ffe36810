import Foundation

/// Who made a journal's judgments. People are the study's ground truth; an LLM judge and an adjudicator join a
/// study beside them without changing `study.json`: their journals say their kind in the header and their
/// queues are derived from the study's pairs (``DerivedQueue``).
///
///     {"annotator":"gpt4","kind":"judge","schema":1,"study":"support","study_sha256":"…","type":"header"}
///
/// A journal without `kind` is a person's (every journal written before kinds existed).
public enum AnnotatorKind: String, Codable, CaseIterable, Sendable {
    /// A person rating the queue drawn for them at creation (or by an amendment).
    case human
    /// An automatic judge (an LLM): rates every pair in both orders; never counted as a person unless asked.
    case judge
    /// The lead settling disputed pairs: one final verdict per pair.
    case adjudicator

    /// The kind a journal header or plan without a `kind` field means.
    public static func of(_ stored: AnnotatorKind?) -> AnnotatorKind { stored ?? .human }

    /// The kind with its indefinite article, for messages: "a human", "a judge", "an adjudicator".
    public var withArticle: String { self == .adjudicator ? "an adjudicator" : "a \(rawValue)" }
}
