import BlindReviewCore

/// The keys, as the help overlay, the footer and the README list them: the reserved table
/// (``AnnotationKeys/table``) plus the study's own preference keys.
public enum KeyBindings {
    public struct Binding: Sendable {
        public var keys: String
        public var action: String
    }

    public static let all: [Binding] = AnnotationKeys.table.filter { !$0.planned }.map { Binding(keys: $0.keys, action: $0.action) }
}
