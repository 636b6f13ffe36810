/// The one table of keys the annotation screen reserves. The UI's help, footer and the README's key table come
/// from it, and a rubric's preference keys must not be among ``reservedCharacters`` (rubric validation reads it).
/// Every new key goes here first.
///
///     AnnotationKeys.isReserved("q")   // true: quit
///     AnnotationKeys.isReserved("a")   // false: free for a preference option
public enum AnnotationKeys {
    /// One line of the table: the keys as shown, what they do, and the typed characters they take.
    public struct Binding: Equatable, Sendable {
        public var keys: String
        public var action: String
        /// Printable characters this binding takes (none for arrows, Tab, Esc and such).
        public var characters: [Character]
        /// Reserved for a feature not built yet: kept free, not shown in help.
        public var planned: Bool

        public init(_ keys: String, _ action: String, characters: [Character] = [], planned: Bool = false) {
            self.keys = keys
            self.action = action
            self.characters = characters
            self.planned = planned
        }
    }

    public static let table: [Binding] = [
        Binding("↑ ↓  k j", "move between criteria, preference and note", characters: ["k", "j"]),
        Binding("← →  h l", "switch between response A and B", characters: ["h", "l"]),
        Binding("0-9", "score the focused criterion for the focused response", characters: Array("0123456789")),
        Binding("x  Del", "clear the focused score", characters: ["x"]),
        Binding("n ]  p [", "next / previous pair", characters: ["n", "]", "p", "["]),
        Binding("g", "next unfinished pair", characters: ["g"]),
        Binding("u", "undo the last change (many levels, also after a restart)", characters: ["u"]),
        Binding("?", "this help", characters: ["?"]),
        Binding("q  Ctrl-C", "quit (everything is already saved)", characters: ["q"]),
        Binding("Tab", "next panel: prompt, A, B (narrow screens show A or B)"),
        Binding("PgDn Spc PgUp", "scroll the focused panel (Home End: top, bottom)", characters: [" "]),
        Binding("r", "show or hide the reference answer", characters: ["r"]),
        Binding("e", "edit the note (Enter saves, Esc cancels; paste works here)", characters: ["e"]),
        Binding("f", "flag the pair: broken, duplicate, offensive, unsure (with a note)", characters: ["f"]),
        Binding("/  N", "search the prompt and responses (then n N move between hits, Esc ends)", characters: ["/", "N"]),
        Binding("d", "mark what differs between A and B (word by word)", characters: ["d"]),
        Binding("m", "Markdown view of the responses (code verbatim, headings, lists); raw again", characters: ["m"]),
        Binding("i", "the study's guidelines (shown on a first open)", characters: ["i"]),
        Binding("v", "adjudicating: the others' verdicts and scores on this pair, in this screen's A and B", characters: ["v"]),
        Binding("s", "retry saving after a failed save", characters: ["s"]),
        Binding("Ctrl-Z", "suspend (fg resumes)"),
    ]

    /// Every printable character some binding takes.
    public static let reservedCharacters: Set<Character> = Set(table.flatMap(\.characters))

    /// Keys reserved after studies using them as preference keys could already exist: `create` refuses them in a
    /// new rubric, but a stored study whose rubric has one still opens (the option keeps the key; see the UI).
    public static let reservedSinceStudiesExisted: Set<Character> = ["v"]

    public static func isReserved(_ character: Character) -> Bool {
        reservedCharacters.contains(character)
    }
}
