/// Which tokens of two sequences differ: the common start and end are cut off first, then the longest common
/// subsequence of the middle is found by dynamic programming, but only when the middle is small enough
/// (``cellLimit`` token pairs); above it everything in the middle counts as changed. Used word by word for
/// near-identical responses and line by line as the fallback (see ``PairDiff``).
///
///     WordDiff.changed(["a", "b", "c"], ["a", "x", "c"])   // (old: [1], new: [1])
///
/// - Complexity: O(n + m) for the cut, then O(k · l) time and memory for a middle of k and l tokens, at most
///   ``cellLimit``.
public enum WordDiff {
    /// The largest middle compared exactly: 1,000,000 token pairs (for example 1,000 x 1,000 words), about
    /// 4 MB and a few milliseconds once per pair.
    public static let cellLimit = 1_000_000

    /// Indices of the tokens only in `old` and only in `new`, and whether the middle was compared exactly.
    public static func changed(_ old: [String], _ new: [String]) -> (old: Set<Int>, new: Set<Int>, exact: Bool) {
        var start = 0
        while start < old.count, start < new.count, old[start] == new[start] { start += 1 }
        var endOld = old.count, endNew = new.count
        while endOld > start, endNew > start, old[endOld - 1] == new[endNew - 1] { endOld -= 1; endNew -= 1 }
        let k = endOld - start, l = endNew - start
        if k == 0 || l == 0 {
            return (Set(start..<endOld), Set(start..<endNew), true)
        }
        guard k * l <= cellLimit else {
            return (Set(start..<endOld), Set(start..<endNew), false)
        }
        // lengths[i][j]: LCS length of old[start+i...] and new[start+j...], row-major in one array.
        let width = l + 1
        var lengths = [Int32](repeating: 0, count: (k + 1) * width)
        for i in stride(from: k - 1, through: 0, by: -1) {
            for j in stride(from: l - 1, through: 0, by: -1) {
                lengths[i * width + j] = old[start + i] == new[start + j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var onlyOld = Set<Int>(), onlyNew = Set<Int>()
        var i = 0, j = 0
        while i < k, j < l {
            if old[start + i] == new[start + j] {
                i += 1; j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                onlyOld.insert(start + i); i += 1
            } else {
                onlyNew.insert(start + j); j += 1
            }
        }
        while i < k { onlyOld.insert(start + i); i += 1 }
        while j < l { onlyNew.insert(start + j); j += 1 }
        return (onlyOld, onlyNew, true)
    }
}
