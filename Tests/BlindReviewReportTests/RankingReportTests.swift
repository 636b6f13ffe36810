import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

final class RankingReportTests: XCTestCase {
    func testDisconnectedComparisonsAreRankedPerComponentWithAWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-bt-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/bt"))
        // m1 meets only m2, m3 meets only m4; m1 never loses.
        let pairs = (0..<16).map { i in
            let (x, y) = i < 8 ? ("m1", "m2") : ("m3", "m4")
            return CandidatePair(sourceID: "p\(i)", prompt: [.user("Q\(i)")], reference: nil,
                                 first: ModelResponse(model: x, turns: ["answer \(i) by \(x)"]),
                                 second: ModelResponse(model: y, turns: ["answer \(i) by \(y)"]))
        }
        let built = try StudyBuilder.build(pairs: pairs, models: ["m1", "m2", "m3", "m4"], options: StudyOptions(name: "bt", seed: 2, annotators: ["ann", "bo"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        for annotator in ["ann", "bo"] {
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
            for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
                let modelA = built.key.model(pair: entry.item, response: entry.a)!
                let i = Int(built.key.pairs[entry.item]!.sourceID.dropFirst())!
                let winnerIsA = modelA == "m1" || (modelA == "m3") == (i % 3 != 0) && modelA != "m2"
                try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: winnerIsA ? "a" : "b"))
            }
        }
        let report = try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: false, bootstrap: 200)
        let results = report.results!
        let ranking = results.bradleyTerry!
        XCTAssertEqual(Set(ranking.map(\.component)), [1, 2])
        XCTAssertNotNil(results.bradleyTerryWarning)
        XCTAssertTrue(report.warnings.contains { $0.contains("ranked separately") })
        XCTAssertTrue(report.text().contains("ranked separately"))
        let m1 = ranking.first { $0.model == "m1" }!, m2 = ranking.first { $0.model == "m2" }!
        XCTAssertTrue(m1.strength.isFinite && m1.strength < 1, "never losing, yet finite")
        XCTAssertEqual(m1.strength + m2.strength, 1, accuracy: 1e-12)
        XCTAssertEqual(m1.rank, 1)
        XCTAssertEqual(m2.rank, 2, "m1's interval lies entirely above m2's")
        for entry in ranking { XCTAssertNotNil(entry.low); XCTAssertLessThanOrEqual(entry.low!, entry.high!) }
        let json = try JSONSerialization.jsonObject(with: Data(report.json().rendered().utf8)) as! [String: Any]
        let bt = (json["results"] as! [String: Any])["bradley_terry"] as! [[String: Any]]
        XCTAssertEqual(bt.count, 4)
        XCTAssertNotNil(bt[0]["rank"])
    }
}
