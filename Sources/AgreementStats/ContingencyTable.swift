/// Two raters' joint ratings: `cells[i][j]` items rated category i by the first and j by the second.
///
///     let table = ContingencyTable(cells: [[20, 5], [10, 15]])
///     table.total   // 50
public struct ContingencyTable: Equatable, Sendable {
    public var cells: [[Double]]

    public init(cells: [[Double]]) {
        self.cells = cells
    }

    /// The table of raters `first` and `second` on the items both rated.
    public init(_ data: RatingData, first: Int, second: Int, multiplicity: [Double]? = nil) {
        let w = multiplicity ?? data.multiplicity
        let q = data.categoryCount, r = data.raterCount
        var cells = [[Double]](repeating: [Double](repeating: 0, count: q), count: q)
        for p in 0..<data.patternCount where w[p] > 0 {
            let a = data.patterns[p * r + first], b = data.patterns[p * r + second]
            if a >= 0 && b >= 0 { cells[Int(a)][Int(b)] += w[p] }
        }
        self.cells = cells
    }

    public var total: Double { cells.reduce(0) { $0 + $1.reduce(0, +) } }
    public var rowTotals: [Double] { cells.map { $0.reduce(0, +) } }
    public var columnTotals: [Double] { cells.indices.map { j in cells.reduce(0) { $0 + $1[j] } } }

    /// The share of items on the diagonal.
    public var percentAgreement: Estimate {
        .ratio(cells.indices.reduce(0) { $0 + cells[$1][$1] }, total, else: "no item was rated by both raters")
    }
}
