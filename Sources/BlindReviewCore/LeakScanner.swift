/// Finds text in a response that names a model or vendor, and can redact it.
///
/// Matching is ASCII case-insensitive on whole words: a term must not be preceded by a letter or digit, nor
/// followed by a letter ("GPT-4" and "llama2" match "gpt" and "llama"; "gptx" does not).
///
///     let scanner = LeakScanner(models: ["tuned-v2"])
///     scanner.matches(in: "I am ChatGPT, made by OpenAI.").map(\.text)  // ["ChatGPT", "OpenAI"]
///     scanner.redact("I am ChatGPT.")                                    // "I am [redacted]."
///
/// - Complexity: O(n) in the text length for a fixed term list (terms are bucketed by first byte).
public struct LeakScanner: Sendable {
    /// Names and phrases that give a model away, whatever the study's models are.
    public static let defaultTerms = [
        "GPT", "ChatGPT", "OpenAI", "Claude", "Anthropic", "LLaMA", "Vicuna", "Alpaca", "Gemini", "Bard",
        "Mistral", "Mixtral", "Qwen", "DeepSeek", "Gemma", "Falcon LLM", "PaLM 2", "Copilot",
        "as an AI language model trained by", "large language model trained by",
    ]

    /// Model names too common as words to scan for (a study's models are often called "base" and "tuned").
    public static let genericModelNames: Set<String> = [
        "base", "tuned", "baseline", "new", "old", "control", "treatment", "candidate", "model", "default",
        "reference", "finetuned", "fine-tuned", "a", "b", "current", "previous", "next", "ours", "theirs",
    ]

    public struct Match: Equatable, Sendable {
        /// Byte range in the UTF-8 text.
        public var range: Range<Int>
        /// The text as it appears (original case).
        public var text: String
    }

    private let buckets: [[[UInt8]]]

    /// The terms actually scanned for (defaults plus non-generic model names), lower-cased.
    public let terms: [String]

    public init(models: [String], includeDefaults: Bool = true) {
        var terms = includeDefaults ? LeakScanner.defaultTerms.map { $0.lowercased() } : []
        for model in models {
            let lower = model.lowercased()
            if lower.count >= 3, !LeakScanner.genericModelNames.contains(lower), !terms.contains(lower) {
                terms.append(lower)
            }
        }
        // Longest first, so "chatgpt" wins over a shorter term at the same place.
        terms.sort { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        self.terms = terms
        var buckets = [[[UInt8]]](repeating: [], count: 256)
        for term in terms {
            let bytes = Array(term.utf8)
            buckets[Int(bytes[0])].append(bytes)
        }
        self.buckets = buckets
    }

    public func matches(in text: String) -> [Match] {
        let bytes = Array(text.utf8)
        var found: [Match] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let lower = LeakScanner.lower(bytes[i])
            let bucket = buckets[Int(lower)]
            if !bucket.isEmpty, i == 0 || !LeakScanner.isWordByte(bytes[i - 1]) {
                var matched = 0
                for term in bucket where term.count <= n - i {
                    var equal = true
                    for k in 1..<term.count where LeakScanner.lower(bytes[i + k]) != term[k] {
                        equal = false
                        break
                    }
                    if equal {
                        let end = i + term.count
                        if end == n || !LeakScanner.isLetter(bytes[end]) || !LeakScanner.isLetter(term[term.count - 1]) {
                            matched = term.count
                            break
                        }
                    }
                }
                if matched > 0 {
                    let range = i..<(i + matched)
                    found.append(Match(range: range, text: String(decoding: bytes[range], as: UTF8.self)))
                    i += matched
                    continue
                }
            }
            i += 1
        }
        return found
    }

    /// The text with every match replaced by `[redacted]`.
    public func redact(_ text: String) -> String {
        let found = matches(in: text)
        guard !found.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for match in found {
            out.append(contentsOf: bytes[cursor..<match.range.lowerBound])
            out.append(contentsOf: Array("[redacted]".utf8))
            cursor = match.range.upperBound
        }
        out.append(contentsOf: bytes[cursor...])
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 97 && (byte | 0x20) <= 122
    }

    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57)
    }
}

/// A leak found at creation, for the lead to review.
public struct LeakReport: Equatable, Sendable {
    public var pairID: String
    public var responseID: String
    public var text: String
    public var context: String
}
