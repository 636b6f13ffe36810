/// One turn of a conversation: `role` is `user`, `assistant` or `system`.
public struct ChatMessage: Codable, Hashable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }

    /// Whether two conversations are the same up to white space at the ends of each message (model files often
    /// differ only there).
    public static func sameConversation(_ one: [ChatMessage], _ other: [ChatMessage]) -> Bool {
        if one == other { return true }  // the usual case, without trimming anything
        return one.count == other.count && zip(one, other).allSatisfy {
            $0.role == $1.role && $0.content.trimmingCharacters(in: .whitespacesAndNewlines) == $1.content.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

extension String {
    /// True when the text is empty or only white space. Stops at the first other character, so it costs
    /// almost nothing on real responses (unlike trimming them).
    public var isBlank: Bool {
        unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
