/// The one table of keys the annotation UI keeps for itself. Rubric validation reads it, so a preference
/// option can never take a key the UI would act on first; a key the UI gains goes here, and validation
/// follows without change.
///
///     ReservedKeys.contains("x")   // true: clears a score
///     ReservedKeys.contains("t")   // false: free for a rubric option (the default Tie)
public enum ReservedKeys {
    public struct Entry: Sendable {
        public var key: Character
        public var action: String
    }

    public static let table: [Entry] = [
        ("h", "previous response"), ("j", "next field"), ("k", "previous field"), ("l", "next response"),
        ("n", "next pair, or next search hit"), ("N", "previous search hit"), ("p", "previous pair"),
        ("]", "next pair"), ("[", "previous pair"), ("g", "next unfinished pair"), ("e", "edit the note"),
        ("q", "quit"), ("u", "undo"), ("?", "help"), (" ", "scroll down"), ("x", "clear the score"),
        ("r", "reference answer"), ("s", "retry a save that failed"), ("f", "flag the pair"),
        ("d", "differences between A and B"), ("/", "search"), ("m", "Markdown display"), ("i", "guidelines"),
        ("0", "score"), ("1", "score"), ("2", "score"), ("3", "score"), ("4", "score"), ("5", "score"),
        ("6", "score"), ("7", "score"), ("8", "score"), ("9", "score"),
    ].map { Entry(key: $0.0, action: $0.1) }

    public static let keys: Set<Character> = Set(table.map(\.key))

    public static func contains(_ key: Character) -> Bool { keys.contains(key) }
}
