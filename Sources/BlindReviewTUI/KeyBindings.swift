/// The keys, as the help overlay, the footer and the README list them.
public enum KeyBindings {
    public struct Binding: Sendable {
        public var keys: String
        public var action: String
    }

    public static let all: [Binding] = [
        Binding(keys: "↑ ↓  k j", action: "move between criteria, preference and note"),
        Binding(keys: "← →  h l", action: "switch between response A and B"),
        Binding(keys: "Tab", action: "next panel: prompt, A, B (narrow screens show A or B)"),
        Binding(keys: "1-5", action: "score the focused criterion for the focused response"),
        Binding(keys: "x  Del", action: "clear the focused score"),
        Binding(keys: "a  b  t", action: "prefer A, prefer B, tie (the study's options)"),
        Binding(keys: "n  ]", action: "next pair"),
        Binding(keys: "p  [", action: "previous pair"),
        Binding(keys: "g", action: "next unfinished pair"),
        Binding(keys: "PgDn Space", action: "scroll the focused panel down"),
        Binding(keys: "PgUp", action: "scroll the focused panel up"),
        Binding(keys: "Home End", action: "top / bottom of the focused panel"),
        Binding(keys: "r", action: "show or hide the reference answer"),
        Binding(keys: "e", action: "edit the note (Enter saves, Esc cancels)"),
        Binding(keys: "u", action: "undo the last change (many levels, also after a restart)"),
        Binding(keys: "?", action: "this help"),
        Binding(keys: "q", action: "quit (everything is already saved)"),
    ]
}
