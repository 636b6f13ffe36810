import AgreementStats
import Foundation
import XCTest

/// Builds ratings from a matrix of optional category labels (rows are items, columns raters).
func ratings(_ rows: [[String?]], categories: [String]) throws -> RatingData {
    let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
    return try RatingData(
        rows: rows.map { $0.map { $0.flatMap { index[$0] } } }, categories: categories,
        raters: (0..<(rows.first?.count ?? 0)).map { "r\($0 + 1)" })
}

/// Integer ratings 1...q (0 = missing).
func numeric(_ rows: [[Int]], scale: ClosedRange<Int>) throws -> RatingData {
    try ratings(rows.map { $0.map { $0 == 0 ? nil : String($0) } }, categories: scale.map(String.init))
}

/// Two raters' items from a contingency table.
func fromTable(_ table: [[Int]], categories: [String]) throws -> RatingData {
    var rows: [[String?]] = []
    for (i, row) in table.enumerated() {
        for (j, count) in row.enumerated() {
            rows += Array(repeating: [categories[i], categories[j]], count: count)
        }
    }
    return try ratings(rows, categories: categories)
}

/// Items from per-category counts (Fleiss form): anonymous raters, each row filled in category order.
func fromCounts(_ counts: [[Int]]) throws -> RatingData {
    let width = counts.map { $0.reduce(0, +) }.max()!
    let categories = (1...counts[0].count).map(String.init)
    let rows: [[String?]] = counts.map { row in
        var labels: [String?] = row.enumerated().flatMap { Array(repeating: categories[$0.offset] as String?, count: $0.element) }
        labels += Array(repeating: nil, count: width - labels.count)
        return labels
    }
    return try ratings(rows, categories: categories)
}

func assertValue(_ estimate: Estimate, _ expected: Double, accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    guard let value = estimate.value else {
        return XCTFail("undefined: \(estimate.reason ?? "")", file: file, line: line)
    }
    XCTAssertEqual(value, expected, accuracy: accuracy, file: file, line: line)
}

func assertUndefined(_ estimate: Estimate, containing fragment: String, file: StaticString = #filePath, line: UInt = #line) {
    guard let reason = estimate.reason else {
        return XCTFail("expected undefined, got \(estimate.value!)", file: file, line: line)
    }
    XCTAssertTrue(reason.contains(fragment), "\"\(reason)\" lacks \"\(fragment)\"", file: file, line: line)
}

/// Fleiss (1971) psychiatric diagnoses: 30 patients, 6 ratings each, categories 1-5 (published data).
let diagnoses: [[Int]] = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]

/// Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers x 12 units, 0 = missing.
let krippendorff2011: [[Int]] = {
    let observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
    ]
    return (0..<12).map { unit in observers.map { $0[unit] } }
}()

/// The shared data folder beside the repository, when present.
func sharedDataFolder() -> URL? {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    let shared = url.appendingPathComponent("shared/data")
    return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
}
