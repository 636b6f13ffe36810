/// Ratings of items by raters on a declared scale, any rating possibly missing.
///
/// Items with the same ratings from the same raters are stored once with a multiplicity, so every coefficient
/// costs time in the number of distinct rating rows, not items; a bootstrap resample is just new multiplicities.
///
///     let data = try RatingData(
///         rows: [[0, 0, nil], [1, 1, 1], [0, 1, 1]],   // category indices; nil = not rated
///         categories: ["yes", "no"], raters: ["ann", "bo", "cy"])
///     data.itemCount   // 3
public struct RatingData: Sendable {
    /// The declared categories in scale order. Unused ones still count (they shape chance agreement).
    public let categories: [String]
    /// Each category's number, when every label is a number; used by weights and interval/ratio metrics.
    public let numericValues: [Double]?
    public let raters: [String]
    /// Distinct rating rows, flattened: `patterns[p * raterCount + g]` is rater g's category index or -1.
    public let patterns: [Int32]
    /// How many items have each distinct row.
    public let multiplicity: [Double]
    /// For each item (in input order), its row in `patterns`.
    public let itemPattern: [Int32]
    /// Per distinct row: how many ratings it has in each category, flattened `[p * categoryCount + k]`.
    public let counts: [Double]
    /// Per distinct row: how many ratings it has.
    public let ratingsPerRow: [Double]

    public var raterCount: Int { raters.count }
    public var categoryCount: Int { categories.count }
    public var patternCount: Int { multiplicity.count }
    public var itemCount: Int { itemPattern.count }

    public init(rows: [[Int?]], categories: [String], raters: [String]) throws {
        var builder = RatingDataBuilder(categories: categories, raters: raters)
        for row in rows {
            guard row.count == raters.count else {
                throw AgreementError("a row has \(row.count) ratings for \(raters.count) raters")
            }
            try builder.addItem(row.map { $0.map(Int32.init) ?? -1 })
        }
        self = builder.finish()
    }

    init(categories: [String], raters: [String], patterns: [Int32], multiplicity: [Double], itemPattern: [Int32]) {
        self.categories = categories
        self.raters = raters
        self.patterns = patterns
        self.multiplicity = multiplicity
        self.itemPattern = itemPattern
        let numbers = categories.map { Double($0.trimmingCharactersInSet()) }
        numericValues = numbers.allSatisfy { $0 != nil } ? numbers.map { $0! } : nil
        let q = categories.count, r = raters.count
        var counts = [Double](repeating: 0, count: multiplicity.count * q)
        var perRow = [Double](repeating: 0, count: multiplicity.count)
        for p in 0..<multiplicity.count {
            for g in 0..<r {
                let value = patterns[p * r + g]
                if value >= 0 {
                    counts[p * q + Int(value)] += 1
                    perRow[p] += 1
                }
            }
        }
        self.counts = counts
        ratingsPerRow = perRow
    }

    /// The total number of ratings.
    public var ratingCount: Int {
        Int((0..<patternCount).reduce(0.0) { $0 + multiplicity[$1] * ratingsPerRow[$1] })
    }

    /// Numbers for each category on an ordered scale: the labels' numbers when all are numeric, else ranks 0, 1, 2...
    public var scaleValues: [Double] {
        numericValues ?? categories.indices.map(Double.init)
    }
}

/// Collects items one by one and folds identical rows together.
public struct RatingDataBuilder {
    public let categories: [String]
    public let raters: [String]
    private var patterns: [Int32] = []
    private var multiplicity: [Double] = []
    private var itemPattern: [Int32] = []
    private var index: [PatternKey: Int32] = [:]

    struct PatternKey: Hashable {
        var packed: UInt64
        var rest: [Int32]
    }

    public init(categories: [String], raters: [String]) {
        self.categories = categories
        self.raters = raters
    }

    /// Adds one item: a category index (or -1 for missing) per rater.
    public mutating func addItem(_ row: [Int32]) throws {
        var packed: UInt64 = 0
        let base = UInt64(categories.count + 1)
        var fits = true
        for value in row {
            guard value >= -1, Int(value) < categories.count else {
                throw AgreementError("category index \(value) is outside the \(categories.count) declared categories")
            }
            let (product, overflow) = packed.multipliedReportingOverflow(by: base)
            if overflow { fits = false; break }
            packed = product + UInt64(value + 1)
        }
        let key = fits ? PatternKey(packed: packed, rest: []) : PatternKey(packed: 0, rest: row)
        if let existing = index[key] {
            multiplicity[Int(existing)] += 1
            itemPattern.append(existing)
        } else {
            let id = Int32(multiplicity.count)
            index[key] = id
            patterns.append(contentsOf: row)
            multiplicity.append(1)
            itemPattern.append(id)
        }
    }

    public func finish() -> RatingData {
        RatingData(categories: categories, raters: raters, patterns: patterns, multiplicity: multiplicity, itemPattern: itemPattern)
    }
}

/// A problem with the ratings themselves (as opposed to a coefficient being undefined).
/// An error in ratings input, in the project's one form: `FILE:LINE: what is wrong. How to fix it.` Messages are
/// written as `"FILE:LINE: what is wrong (fix: how to fix it)"` and printed in that form.
public struct AgreementError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ text: String) {
        // "... what (fix: how)" reads as "... what. How."
        if text.hasSuffix(")"), let range = text.range(of: " (fix: ", options: .backwards) {
            let message = String(text[..<range.lowerBound])
            let fix = String(text[range.upperBound...].dropLast())
            description = AgreementError.sentence(message, fix)
        } else {
            description = text
        }
    }

    static func sentence(_ message: String, _ fix: String) -> String {
        var text = message
        if let last = text.last, !".!?".contains(last) { text += "." }
        guard let first = fix.first else { return text }
        var advice = first.uppercased() + fix.dropFirst()
        if let last = advice.last, !".!?".contains(last) { advice += "." }
        return text + " " + advice
    }
}

extension String {
    func trimmingCharactersInSet() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
