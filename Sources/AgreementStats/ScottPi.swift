/// Scott's pi for two raters: like Cohen's kappa, but chance comes from the pooled margins,
/// `Pe = sum_k ((p_k. + p_.k) / 2)^2`.
///
///     ScottPi.compute(ContingencyTable(cells: [[13, 0, 0], [0, 20, 7], [0, 4, 56]])).value  // 0.7962
///
/// - Complexity: O(q^2).
public enum ScottPi {
    public static func compute(_ table: ContingencyTable) -> Estimate {
        let n = table.total
        guard n > 0 else { return .undefined("no item was rated by both raters") }
        let rows = table.rowTotals, cols = table.columnTotals
        let po = table.cells.indices.reduce(0) { $0 + table.cells[$1][$1] } / n
        let pe = rows.indices.reduce(0.0) { sum, k in
            let share = (rows[k] + cols[k]) / (2 * n)
            return sum + share * share
        }
        return .chanceCorrected(observed: po, chance: pe, else: "chance agreement is 1: both raters used a single category")
    }
}
