import Foundation

/// An error a person can act on: where the problem is (file and line when known), what is wrong, and what to do.
/// Every command prints it in one form, `error: FILE:LINE: what is wrong. How to fix it.`
///
///     BlindReviewError(file: "base.jsonl", line: 12, message: "duplicate id \"q7\"", fix: "give every line its own id")
///     // prints: error: base.jsonl:12: duplicate id "q7". Give every line its own id.
public struct BlindReviewError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var line: Int?
    public var message: String
    public var fix: String?

    public init(file: String? = nil, line: Int? = nil, message: String, fix: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var text = ""
        if let file {
            text += file
            if let line { text += ":\(line)" }
            text += ": "
        }
        return text + ErrorText.sentence(message: message, fix: fix)
    }
}

/// The message-and-fix part of the one error form: "what is wrong. How to fix it."
public enum ErrorText {
    public static func sentence(message: String, fix: String?) -> String {
        var text = message
        if let last = text.last, !".!?".contains(last) { text += "." }
        guard let fix, let first = fix.first else { return text }
        var advice = first.uppercased() + fix.dropFirst()
        if let last = advice.last, !".!?".contains(last) { advice += "." }
        return text + " " + advice
    }
}

/// A problem worth telling the user about that does not stop the work (an empty response, a torn journal line).
public struct BlindReviewWarning: CustomStringConvertible, Hashable, Sendable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        BlindReviewError(file: file, line: line, message: message).description
    }
}
