/// Finds text that names a model or vendor, and can redact it.
///
/// Matching runs on a normalised copy of the text (``LeakNormalizer``: compatibility forms, case, zero-width
/// and format characters, Cyrillic and Greek look-alikes), on whole words: a term must not follow a letter or
/// digit, nor be followed by a letter when it ends in one ("GPT-4" and "llama2" match; "gptx" does not). A
/// match covers the whole token, version suffix included ("GPT-4o-mini", "Llama 3.1"), so redaction leaves no
/// family behind. `model` terms match anywhere; `vendor` terms only in a self-reference (see ``LeakTerm``).
///
///     let scanner = LeakScanner(models: ["tuned-v2"])
///     scanner.matches(in: "I am ChatGPT, made by OpenAI.").map(\.text)  // ["ChatGPT", "OpenAI"]
///     scanner.redact("I am GPT-4o-mini.")                                 // "I am [redacted]."
///
/// - Complexity: O(n) in the text length for a fixed term list (terms are bucketed by first byte); plain ASCII
///   text skips the Unicode normalisation.
public struct LeakScanner: Sendable {
    /// Model names too common as words to scan for (a study's models are often called "base" and "tuned").
    public static let genericModelNames: Set<String> = [
        "base", "tuned", "baseline", "new", "old", "control", "treatment", "candidate", "model", "default",
        "reference", "finetuned", "fine-tuned", "a", "b", "current", "previous", "next", "ours", "theirs",
    ]

    public struct Match: Equatable, Sendable {
        /// Byte range in the UTF-8 text, covering the whole token.
        public var range: Range<Int>
        /// The text as it appears (original case and characters).
        public var text: String
        /// The term it matched, as listed.
        public var term: String
        public var tier: LeakTerm.Tier
    }

    struct Compiled: Sendable {
        var bytes: [UInt8]
        var term: LeakTerm
    }

    private let buckets: [[Compiled]]
    /// Whether any term starts with a byte (checked before touching a bucket, which costs a retain).
    private let initials: [Bool]
    /// Whether any term starts with a pair of bytes (first << 8 | second; every term has at least two): most word
    /// starts in a text fail this, so their bucket is never searched.
    private let openings: [Bool]

    /// The terms scanned for (built-in, extra and non-generic model names), normalised.
    public let terms: [String]

    public init(models: [String], extraTerms: [LeakTerm] = [], includeDefaults: Bool = true) {
        var list = includeDefaults ? LeakTerm.builtIn : []
        list += extraTerms
        for model in models where model.count >= 3 && !LeakScanner.genericModelNames.contains(model.lowercased()) {
            list.append(LeakTerm(text: model, tier: .model))
        }
        // Short all-letter names also match spelled out with spaces, dots or dashes ("G P T", "G.P.T").
        for term in list where term.tier == .model {
            let letters = LeakNormalizer.normalize(term.text).bytes
            guard (3...4).contains(letters.count), letters.allSatisfy(LeakScanner.isLetter) else { continue }
            for separator in [" ", ".", "-"] {
                list.append(LeakTerm(text: letters.map { String(UnicodeScalar($0)) }.joined(separator: separator), tier: .model))
            }
        }
        var seen = Set<[UInt8]>()
        var compiled: [Compiled] = []
        for term in list {
            let bytes = LeakNormalizer.normalize(term.text).bytes
            guard bytes.count >= 2, seen.insert(bytes).inserted else { continue }
            compiled.append(Compiled(bytes: bytes, term: term))
        }
        // Longest first, so "chatgpt" wins over a shorter term at the same place.
        compiled.sort { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.bytes.lexicographicallyPrecedes($1.bytes) }
        terms = compiled.map { String(decoding: $0.bytes, as: UTF8.self) }
        var buckets = [[Compiled]](repeating: [], count: 256)
        for term in compiled { buckets[Int(term.bytes[0])].append(term) }
        self.buckets = buckets
        initials = buckets.map { !$0.isEmpty }
        var openings = [Bool](repeating: false, count: 65536)
        for term in compiled { openings[Int(term.bytes[0]) << 8 | Int(term.bytes[1])] = true }
        self.openings = openings
    }

    public func matches(in text: String) -> [Match] {
        cannotMatch(text) ? [] : fullMatches(in: text)
    }

    /// ``matches(in:)`` without the one-pass answer for plain text that matches nothing.
    func fullMatches(in text: String) -> [Match] {
        let normal = LeakNormalizer.normalize(text)
        let bytes = normal.bytes
        var original: [UInt8]?  // the text's bytes, made only when something matches
        var found: [Match] = []
        var i = 0
        let n = bytes.count
        while i < n {
            // A cheap test first: a term can start here only at a word start, with a term's first two bytes.
            let starts = bytes.withUnsafeBufferPointer { text in
                openings.withUnsafeBufferPointer { openings in
                    initials.withUnsafeBufferPointer { initials in
                        var k = i
                        while k + 1 < n {
                            if initials[Int(text[k])], openings[Int(text[k]) << 8 | Int(text[k + 1])], k == 0 || !LeakScanner.isWordByte(text[k - 1]) { return k }
                            k += 1
                        }
                        return n
                    }
                }
            }
            guard starts < n else { break }
            i = starts
            do {
                let bucket = buckets[Int(bytes[i])]
                var matched: Compiled?
                for candidate in bucket where candidate.bytes.count <= n - i {
                    let term = candidate.bytes
                    var equal = true
                    for k in 1..<term.count where bytes[i + k] != term[k] {
                        equal = false
                        break
                    }
                    guard equal else { continue }
                    let end = i + term.count
                    guard end == n || !LeakScanner.isLetter(bytes[end]) || !LeakScanner.isLetter(term[term.count - 1]) else { continue }
                    if candidate.term.tier == .vendor && !LeakScanner.isSelfReference(bytes, start: i, end: end) { continue }
                    matched = candidate
                    break
                }
                if let matched {
                    let end = LeakScanner.tokenEnd(bytes, from: i + matched.bytes.count)
                    let range = normal.original(i..<end)
                    if original == nil { original = Array(text.utf8) }
                    found.append(Match(
                        range: range, text: String(decoding: original![range], as: UTF8.self), term: matched.term.text,
                        tier: matched.term.tier))
                    i = end
                    continue
                }
            }
            i += 1
        }
        return found
    }

    /// True when `text` is plain ASCII that the normaliser maps byte for byte (``LeakNormalizer/plainASCII(_:)``)
    /// and no term matches it anywhere, so ``matches(in:)`` is empty: found in one pass over the text's own bytes
    /// (lower-cased by table), without making the normalised copy. Most responses are like this. A term that
    /// matches at a word start (a vendor term before its self-reference test, too) answers false, and the full
    /// scan decides.
    ///
    /// - Complexity: O(n), one table look-up per byte, plus a bucket search at each word start with a term's
    ///   first two bytes.
    func cannotMatch(_ text: String) -> Bool {
        let answer: Bool? = text.utf8.withContiguousStorageIfAvailable { text in
            LeakScanner.plainFold.withUnsafeBufferPointer { fold in
                openings.withUnsafeBufferPointer { openings in
                    initials.withUnsafeBufferPointer { initials in
                        let n = text.count
                        var k = 0
                        var lastWasSpace = false
                        // At the top of the loop, k is a word start (0, or after a byte that is no letter or digit).
                        while k < n {
                            if k + 1 < n {
                                let first = fold[Int(text[k])], second = fold[Int(text[k + 1])]
                                if initials[Int(first)], openings[Int(first) << 8 | Int(second)], termMatches(at: k, in: text, fold: fold) {
                                    return false
                                }
                            }
                            // Letters and digits up to the word's end: plain, never a start, never white space.
                            if LeakScanner.isWordByte(text[k]) {
                                k += 1
                                while k < n, LeakScanner.isWordByte(text[k]) { k += 1 }
                                lastWasSpace = false
                                guard k < n else { break }
                            }
                            // Another byte: the normaliser's full path if it is not plain, or a second white space.
                            let byte = fold[Int(text[k])]
                            if byte == LeakScanner.notPlain || (byte == 0x20 && lastWasSpace) { return false }
                            lastWasSpace = byte == 0x20
                            k += 1
                        }
                        return true
                    }
                }
            }
        }
        return answer ?? false
    }

    /// Whether a term of the bucket of `text[start]` matches there up to a word boundary (before any
    /// self-reference test), comparing the lower-cased bytes.
    @inline(__always)
    private func termMatches(at start: Int, in text: UnsafeBufferPointer<UInt8>, fold: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = text.count
        for candidate in buckets[Int(fold[Int(text[start])])] where candidate.bytes.count <= n - start {
            let term = candidate.bytes
            var equal = true
            for j in 1..<term.count where fold[Int(text[start + j])] != term[j] {
                equal = false
                break
            }
            guard equal else { continue }
            let end = start + term.count
            if end == n || !LeakScanner.isLetter(text[end]) || !LeakScanner.isLetter(term[term.count - 1]) { return true }
        }
        return false
    }

    /// Marks a byte of ``plainFold`` that makes a text other than plain (a byte the normaliser would drop,
    /// decode or expand: non-ASCII, `*`, `` ` ``, `~`, `&`, `%`).
    static let notPlain: UInt8 = 0xFF

    /// Each byte as ``LeakNormalizer`` maps plain ASCII: lower case, white space as a space; ``notPlain`` for
    /// the bytes that take its full path.
    static let plainFold: [UInt8] = (0..<256).map { value -> UInt8 in
        let byte = UInt8(value)
        if byte >= 0x80 || byte == 0x2A || byte == 0x60 || byte == 0x7E || byte == 0x26 || byte == 0x25 { return notPlain }
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 0x20 }
        return byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    /// The text with every `model` match replaced by `[redacted]`, and how many were.
    public func redacting(_ text: String) -> (text: String, count: Int) {
        let found = matches(in: text).filter { $0.tier == .model }
        guard !found.isEmpty else { return (text, 0) }
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
        return (String(decoding: out, as: UTF8.self), found.count)
    }

    /// The text with every `model` match replaced by `[redacted]`.
    public func redact(_ text: String) -> String { redacting(text).text }

    /// Extends a match over a version suffix: letters, digits and `-`, `.`, `_` between them ("-4o-mini",
    /// "-3.5-sonnet"), or a space and a version number (" 3.1").
    static func tokenEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        let n = bytes.count
        while end < n {
            let byte = bytes[end]
            if isWordByte(byte) {
                end += 1
            } else if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_"),
                      end + 1 < n, isWordByte(bytes[end + 1]) {
                end += 2
            } else if byte == 0x20 || byte == UInt8(ascii: "-"), end + 1 < n, let word = suffixWord(bytes, at: end + 1) {
                // A space or dash and a version, a size ("70B") or a tier word ("Opus", "Turbo", "mini"): the
                // family would still show without it.
                end = word
            } else {
                break
            }
        }
        return end
    }

    /// Words that name a model's version, size or tier when they follow its name.
    static let suffixWords: Set<[UInt8]> = Set([
        "opus", "sonnet", "haiku", "turbo", "mini", "nano", "pro", "flash", "ultra", "instruct", "chat", "max", "plus",
        "preview", "vision", "lite", "large", "medium", "small", "coder", "code", "math", "omni", "reasoner", "hf",
        "base", "latest", "experimental", "exp", "thinking", "distill",
    ].map { Array($0.utf8) })

    /// The end of a suffix word starting at `start` (a version or size such as "3.1", "70b", "8x7b", or a word
    /// of ``suffixWords``), or nil.
    static func suffixWord(_ bytes: [UInt8], at start: Int) -> Int? {
        var end = start
        while end < bytes.count, isWordByte(bytes[end]) || ((bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "-")) && end + 1 < bytes.count && isDigit(bytes[end + 1])) {
            end += 1
        }
        guard end > start else { return nil }
        let word = Array(bytes[start..<end])
        if isDigit(word[0]) { return end }  // "3.1", "70b", "8x7b", "4o"
        if suffixWords.contains(word) { return end }
        // "v2", "r1" and the like.
        if word.count <= 8, let first = word.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "r"), word.count > 1,
           isDigit(word[1]), word.dropFirst().allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }) { return end }
        return nil
    }

    /// Phrases before a vendor term that make it a self-reference.
    static let selfReferenceCues: [[UInt8]] = [
        "trained by", "developed by", "created by", "made by", "built by", "designed by", "released by",
        "provided by", "powered by", "i am", "i'm", "my name is", "i was", "i come from", "a model from",
        "an ai from", "assistant from", "我是", "我叫", "我由", "私は", "je suis", "ich bin", "soy",
    ].map { Array($0.utf8) }

    /// "as a Meta AI assistant": `as a`/`as an` before and `model`/`assistant`/`ai` after.
    static let roleCues: [[UInt8]] = ["model", "assistant", "ai", "chatbot", "llm"].map { Array($0.utf8) }

    static func isSelfReference(_ bytes: [UInt8], start: Int, end: Int) -> Bool {
        let before = Array(bytes[max(0, start - 48)..<start])
        if selfReferenceCues.contains(where: { contains(before, $0) }) { return true }
        if contains(before, Array("as a ".utf8)) || contains(before, Array("as an ".utf8)) {
            let after = Array(bytes[end..<min(bytes.count, end + 24)])
            return roleCues.contains { contains(after, $0) }
        }
        return false
    }

    /// Whether `needle` occurs in `haystack` as whole words.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) {
            if haystack[start..<(start + needle.count)].elementsEqual(needle),
               start == 0 || !isWordByte(haystack[start - 1]),
               start + needle.count == haystack.count || !isWordByte(haystack[start + needle.count]) {
                return true
            }
        }
        return false
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 97 && (byte | 0x20) <= 122
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }
}
