import AgreementStats
import BlindReviewCore
@testable import BlindReviewReport
import Foundation
import XCTest

/// A report depends on the votes and `--seed` only: the same votes in studies created with different blinding
/// seeds (so different sides, orders and response ids) give the same numbers, intervals included.
final class SeedInvarianceTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindreview-seeds-\(UUID().uuidString.prefix(8))")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// The votes, in model terms: annotator `a` on source pair `i` prefers "tuned", "base" or a tie, and scores.
    static func choice(_ i: Int, _ a: Int) -> String {
        let x = (i * 31 + a * 17 + (i % 3) * a) % 10
        return x < 5 ? "tuned" : x < 8 ? "base" : "tie"
    }

    func report(seed: UInt64, blind: Bool) throws -> StudyReport {
        let store = StudyStore(folder: folder.appendingPathComponent("sessions/s\(seed)\(blind ? "-blind" : "")"))
        let pairs = (0..<40).map { i in
            CandidatePair(sourceID: "q\(i)", prompt: [.user("Q\(i)")], reference: nil,
                          first: ModelResponse(model: "base", turns: [String(repeating: "b", count: 10 + (i * 7) % 23)]),
                          second: ModelResponse(model: "tuned", turns: [String(repeating: "t", count: 12 + (i * 5) % 29)]))
        }
        let annotators = ["ann", "bo", "cy"]
        let built = try StudyBuilder.build(pairs: pairs, models: ["base", "tuned"], options: StudyOptions(name: "s\(seed)", seed: seed, annotators: annotators))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        let (study, hash) = try store.load()
        let key = built.key
        for (a, annotator) in annotators.enumerated() {
            let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
            for (slot, entry) in study.plan(for: annotator)!.queue.enumerated() {
                let i = Int(key.pairs[entry.item]!.sourceID.dropFirst())!
                let wanted = SeedInvarianceTests.choice(i, a)
                for response in [entry.a, entry.b] {
                    let model = key.model(pair: entry.item, response: response)!
                    for criterion in study.rubric.criteria {
                        let score = 1 + (i + a + (model == "tuned" ? 2 : 0) + criterion.id.count) % 5
                        try writer.append(.rating(slot: slot, item: entry.item, response: response, criterion: criterion.id, value: score))
                    }
                }
                let option = wanted == "tie" ? "tie" : key.model(pair: entry.item, response: entry.a) == wanted ? "a" : "b"
                try writer.append(JournalEvent(type: .preference, slot: slot, item: entry.item, option: option))
            }
        }
        return try StudyReport.build(store: store, keyFile: store.defaultKeyFile, blind: blind, bootstrap: 100, seed: 7)
    }

    func testPreferenceAgreementAndIntervalsAreTheSameForTenBlindingSeeds() throws {
        let reference = try report(seed: 1, blind: false)
        let pref = reference.agreement.preference!
        XCTAssertNotNil(pref.fleissKappa.estimate.value)
        func fingerprint(_ r: StudyReport) -> [Double?] {
            let p = r.agreement.preference!
            var values: [Double?] = []
            for c in [p.pairwiseStrict, p.pairwiseRelaxed, p.unanimous, p.fleissKappa, p.alphaNominal, p.alphaOrdinal] {
                values += [c.estimate.value, c.interval?.low, c.interval?.high]
            }
            values += p.cohen.map(\.kappa.value)
            for c in r.agreement.criteria { values += [c.alphaOrdinal.estimate.value, c.alphaOrdinal.interval?.low, c.alphaOrdinal.interval?.high, c.gwetAC2.interval?.low] }
            values += r.annotators.map(\.meanKappa)
            return values
        }
        func results(_ r: StudyReport) -> [Double?] {
            let pair = r.results!.pairs[0]
            var values: [Double?] = [pair.winRateNoTies, pair.inference.intervalNoTies?.low, pair.inference.intervalNoTies?.high,
                                     pair.inference.intervalTiesHalf?.low, pair.inference.test.p, pair.inference.designEffect,
                                     r.results!.lengthModel?.beta, r.results!.lengthModel?.p]
            for c in r.results!.criteria { values += c.means.flatMap { [$0.mean, $0.low, $0.high] } + c.differences.map(\.p) }
            values += pref.modelOriented.map { [$0.fleissKappa.estimate.value, $0.alphaNominal.estimate.value] } ?? []
            return values
        }
        let expected = fingerprint(reference), expectedResults = results(reference)
        XCTAssertNotNil(pref.modelOriented, "keyed: model-oriented figures too")
        for seed: UInt64 in 2...10 {
            let other = try report(seed: seed, blind: false)
            XCTAssertEqual(fingerprint(other), expected, "seed \(seed): agreement differs")
            XCTAssertEqual(results(other), expectedResults, "seed \(seed): results differ")
            XCTAssertEqual(other.agreement.preference!.fleissKappa.estimate.value, pref.fleissKappa.estimate.value)
        }
        let blind = try report(seed: 3, blind: true)
        XCTAssertEqual(fingerprint(blind), expected, "blind and keyed reports agree")
        XCTAssertNil(blind.agreement.preference!.modelOriented)
    }
}
