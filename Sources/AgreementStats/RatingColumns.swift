/// The ratings read so far, one column per rater indexed by item number, a small code per cell: 0 = no row
/// yet, 1 = a row with an empty value, 2 + v = value number v. Codes are kept in one byte each while the
/// values seen fit (up to 254 distinct value texts, as any rating scale does), and widened to 32 bits only
/// when more appear: a million items x 10 raters take 10 MB.
///
///     var columns = RatingColumns()
///     columns.addRater()
///     columns.set(rater: 0, item: 2, code: 3)   // true: the cell was empty
///     columns.set(rater: 0, item: 2, code: 4)   // false: already set (a repeated rating); unchanged
///     columns.code(rater: 0, item: 2)           // 3
///     columns.code(rater: 0, item: 9)           // 0
struct RatingColumns {
    private var narrow: [[UInt8]] = []
    private var wide: [[Int32]]?

    var raterCount: Int { wide?.count ?? narrow.count }

    mutating func addRater() {
        if wide != nil { wide!.append([]) } else { narrow.append([]) }
    }

    /// Sets a cell unless it is already set; returns whether it was set.
    mutating func set(rater: Int, item: Int, code: Int32) -> Bool {
        if wide == nil, code > Int32(UInt8.max) { widen() }
        if wide != nil {
            if item >= wide![rater].count { wide![rater].append(contentsOf: repeatElement(0, count: RatingColumns.grown(wide![rater].count, item) - wide![rater].count)) }
            guard wide![rater][item] == 0 else { return false }
            wide![rater][item] = code
            return true
        }
        if item >= narrow[rater].count { narrow[rater].append(contentsOf: repeatElement(0, count: RatingColumns.grown(narrow[rater].count, item) - narrow[rater].count)) }
        guard narrow[rater][item] == 0 else { return false }
        narrow[rater][item] = UInt8(code)
        return true
    }

    func code(rater: Int, item: Int) -> Int32 {
        if let wide { return item < wide[rater].count ? wide[rater][item] : 0 }
        return item < narrow[rater].count ? Int32(narrow[rater][item]) : 0
    }

    /// A column's new length to hold `item`: at least double, so that growing item by item costs O(1) each.
    private static func grown(_ count: Int, _ item: Int) -> Int { max(item + 1, count * 2, 1024) }

    private mutating func widen() {
        wide = narrow.map { $0.map(Int32.init) }
        narrow = []
    }
}
