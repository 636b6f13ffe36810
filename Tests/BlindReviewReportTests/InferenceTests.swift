import AgreementStats
@testable import BlindReviewReport
import XCTest

/// The report's inference methods against hand counts and reference libraries.
final class InferenceTests: XCTestCase {
    // MARK: Holm

    func testHolmMatchesStatsmodels() {
        // Expected values computed with Python 3 and statsmodels 0.15.0:
        //   from statsmodels.stats.multitest import multipletests
        //   multipletests(p, method="holm")[1]
        let cases: [([Double], [Double])] = [
            ([0.01, 0.04, 0.03, 0.005, 0.2], [0.04, 0.09, 0.09, 0.025, 0.2]),
            ([0.001, 0.0101, 0.0102, 0.5, 0.04, 0.049, 0.9], [0.007, 0.0606, 0.0606, 1.0, 0.16, 0.16, 1.0]),
            ([0.03, 0.03, 0.03], [0.09, 0.09, 0.09]),
        ]
        for (p, expected) in cases {
            let adjusted = HolmAdjustment.adjust(p)
            for (a, e) in zip(adjusted, expected) { XCTAssertEqual(a!, e, accuracy: 1e-12, "\(p)") }
        }
        XCTAssertEqual(HolmAdjustment.adjust([]), [])
        XCTAssertEqual(HolmAdjustment.adjust([nil, 0.02, nil, 0.04]), [nil, 0.04, nil, 0.04], "undefined p-values do not count")
    }

    // MARK: Sign-flip test over pairs

    func testSignFlipIsTheSignTestWithOneVotePerPair() {
        for (k, n) in [(9, 10), (5, 10), (0, 7), (15, 20)] {
            let differences = Array(repeating: 1, count: k) + Array(repeating: -1, count: n - k)
            XCTAssertEqual(SignFlipTest.test(differences).p, ProportionTests.signTest(successes: k, trials: n), accuracy: 1e-12)
        }
        XCTAssertEqual(SignFlipTest.test([0, 0]).p, 1)
    }

    func testSignFlipAgainstBruteForceEnumeration() {
        let differences = [3, -1, 2, 2, 0, 3, -2, 1, 3, 1, 2, -3]
        let observed = abs(differences.reduce(0, +))
        let nonZero = differences.filter { $0 != 0 }
        var extreme = 0
        for pattern in 0..<(1 << nonZero.count) {
            var sum = 0
            for (i, d) in nonZero.enumerated() { sum += (pattern >> i) & 1 == 1 ? d : -d }
            if abs(sum) >= observed { extreme += 1 }
        }
        let result = SignFlipTest.test(differences)
        XCTAssertEqual(result.p, Double(extreme) / Double(1 << nonZero.count), accuracy: 1e-12)
        XCTAssertEqual(result.method, "exact")
        XCTAssertEqual(result.pairs, 11)
    }

    // MARK: Pair-cluster win rate

    func testWinRateIntervalResamplesPairsAndReportsTheDesignEffect() {
        // 40 pairs, 3 annotators who always agree: 3 votes carry the information of one, design effect near 3.
        let wins = (0..<40).map { $0 % 5 < 3 ? 3.0 : 0.0 }
        let tally = PairClusterWinRate.Tally(wins: wins, ties: Array(repeating: 0, count: 40), losses: wins.map { 3 - $0 })
        let result = PairClusterWinRate.estimate(tally, replicates: 2000, seed: 1)
        XCTAssertEqual(result.winRateNoTies!, 0.6, accuracy: 1e-12)
        XCTAssertEqual(result.designEffect!, 3 * 40.0 / 39, accuracy: 1e-9, "n/(n-1) x 3")
        XCTAssertEqual(result.votes, 120)
        XCTAssertEqual(result.pairs, 40)
        let interval = result.intervalNoTies!
        XCTAssertEqual(interval.resampled, "pairs with all their votes")
        // The interval is about as wide as for 40 independent votes (sd 0.077), not 120 (0.045).
        XCTAssertGreaterThan(interval.high - interval.low, 2 * 1.96 * 0.07)
        // Same votes and seed: the same interval; the test is exact and sees 40 pairs, not 120 votes.
        XCTAssertEqual(PairClusterWinRate.estimate(tally, replicates: 2000, seed: 1).intervalNoTies, interval)
        XCTAssertEqual(result.test.p, ProportionTests.signTest(successes: 24, trials: 40), accuracy: 1e-12)

        let twoWay = PairClusterWinRate.estimate(
            tally, votes: (0..<40).flatMap { i in (0..<3).map { PairClusterWinRate.Vote(pair: i, annotator: $0, score: wins[i] > 0 ? 1 : 0) } },
            annotators: 3, unit: .pairsAndAnnotators, replicates: 500, seed: 1)
        XCTAssertEqual(twoWay.intervalNoTies?.resampled, "pairs and annotators (two-way)")
    }

    // MARK: Wilcoxon signed-rank

    func testWilcoxonMatchesSciPy() {
        // Expected values computed with Python 3 and SciPy 1.17.1, scipy.stats.wilcoxon(d).pvalue (method "auto");
        // the 60-difference case with correction=True (continuity correction, as here).
        let exact = WilcoxonSignedRank.test([1, -2, 3, 4, -5, 6, 7, 8, 9, 10, 11, -12])
        XCTAssertEqual(exact.method, .exact)
        XCTAssertEqual(exact.p!, 0.12939453125, accuracy: 1e-12)
        let tied = WilcoxonSignedRank.test([1, 1, -1, 2, 2, 3, -3, 4, 5, 5, 6, 0])
        XCTAssertEqual(tied.method, .permutation)
        XCTAssertEqual(tied.p!, 0.0302734375, accuracy: 1e-12)
        let large: [Double] = [
            2.3, -2.3, 0.7, -0.3, -0.2, 0.1, -1.7, 0.1, -0.6, 3.6, 0.5, -0.1, 0.0, -0.4, -0.8, -0.1, 0.8, 0.1, 1.3, 0.1,
            0.3, 1.8, 0.8, -0.2, 0.1, 0.8, 2.2, 0.0, 0.1, 1.3, -0.6, 0.0, 1.2, 0.9, 0.4, 1.0, -2.5, 1.3, -0.7, -1.4,
            0.6, 1.0, -0.1, -0.8, 0.3, 0.2, 1.7, 1.0, 0.5, 1.4, 0.1, -0.6, 0.9, 0.9, 0.1, -0.5, 0.5, -2.2, 1.0, 0.8,
        ]
        let normal = WilcoxonSignedRank.test(large)
        XCTAssertEqual(normal.method, .normal)
        XCTAssertEqual(normal.p!, 0.01854089039592215, accuracy: 1e-9)
    }

    // MARK: Bradley-Terry

    func testBradleyTerryConvergesOnANeverLosingModel() {
        // Model 0 beats everyone, always; 1 and 2 split. The MM iteration stalled here; Newton reaches the optimum.
        let wins: [[Double]] = [[0, 30, 30], [0, 0, 12], [0, 11, 0]]
        let theta = BradleyTerry.logStrengths(wins: wins, models: [0, 1, 2])
        XCTAssertTrue(theta.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(theta[0], theta[1] + 2)
        // The optimum: the gradient of the log posterior is zero.
        for a in 0..<3 {
            var gradient = -theta[a] / BradleyTerry.priorVariance
            for b in 0..<3 where b != a {
                let p = 1 / (1 + exp(theta[b] - theta[a]))
                gradient += wins[a][b] - (wins[a][b] + wins[b][a]) * p
            }
            XCTAssertEqual(gradient, 0, accuracy: 1e-8)
        }
        XCTAssertEqual(theta.reduce(0, +), 0, accuracy: 1e-9)
        // The same posterior mode as choix 0.4.1 with its penalty alpha * sum(theta^2), alpha = 1 / (2 x 10):
        //   choix.opt_pairwise(3, data, alpha=0.05, method="Newton-CG", tol=1e-12)
        for (value, expected) in zip(theta, [3.43810369861725, -1.6765489347474853, -1.7615547638697655]) {
            XCTAssertEqual(value, expected, accuracy: 1e-6)
        }
    }

    func testBradleyTerryRanksConnectedComponentsSeparately() {
        // {0, 1} and {2, 3} never met.
        let wins: [[Double]] = [[0, 7, 0, 0], [3, 0, 0, 0], [0, 0, 0, 5], [0, 0, 5, 0]]
        XCTAssertEqual(BradleyTerry.components(wins: wins), [[0, 1], [2, 3]])
        let strengths = BradleyTerry.fit(wins: wins)!
        XCTAssertEqual(strengths[0] + strengths[1], 1, accuracy: 1e-12, "normalised within its component")
        XCTAssertEqual(strengths[2], 0.5, accuracy: 1e-12)
        XCTAssertEqual(BradleyTerry.arenaRanks([(0.5, 0.7), (0.4, 0.6), (0.1, 0.3)]), [1, 1, 3])
    }

    // MARK: Length model

    func testLengthModelMatchesStatsmodelsClusteredLogit() {
        // 40 pairs x 3 votes, two groups (model pairs). Expected values computed with Python 3 and statsmodels 0.15.0:
        //   X = [x, group == 0, group == 1]; m = sm.Logit(y, X).fit(cov_type="cluster",
        //       cov_kwds={"groups": pair, "use_correction": False}); m.params[0], m.bse[0] * sqrt(G / (G - 1))
        var observations: [LengthModel.Observation] = []
        for i in 0..<40 {
            let x = Double((i * 37) % 17) / 10 - 0.8
            for a in 0..<3 {
                let won = (i * 7 + a * 3) % 5 < (i % 2 == 0 ? 3 : 2)
                observations.append(.init(pair: i, group: i % 2, logLengthDifference: x, firstWon: won))
            }
        }
        let fit = LengthModel.fit(observations)!
        XCTAssertEqual(fit.beta, 0.14574496508633825, accuracy: 1e-9)
        XCTAssertEqual(fit.standardError, 0.1678398134562535, accuracy: 1e-9)
        XCTAssertEqual(fit.votes, 120)
        XCTAssertEqual(fit.pairs, 40)
        // Over the model-based variance: statsmodels' default (non-robust) m.bse[0] = 0.37829362106834513.
        XCTAssertEqual(fit.designEffect, pow(0.1678398134562535 / 0.37829362106834513, 2), accuracy: 1e-6)
        XCTAssertNil(LengthModel.fit(Array(observations.prefix(6))), "two pairs: not estimable")
    }

    // MARK: Orientation-free agreement

    func testOrientationFreeAgreementIgnoresWhichResponseIsFirst() throws {
        var rows: [[Int?]] = []
        var state: UInt64 = 12345
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        for _ in 0..<60 { rows.append((0..<4).map { _ in next(5) == 0 ? nil : [0, 0, 1, 2, 2, 0][next(6)] }) }
        let raters = ["a", "b", "c", "d"]
        let data = try RatingData(rows: rows, categories: ["first", "tie", "second"], raters: raters)
        let flipped = try RatingData(
            rows: rows.enumerated().map { i, row in i % 3 == 0 ? row.map { $0.map { 2 - $0 } } : row },
            categories: ["first", "tie", "second"], raters: raters)
        for (x, y) in [
            (OrientationFreeAgreement.fleissKappa(data), OrientationFreeAgreement.fleissKappa(flipped)),
            (OrientationFreeAgreement.alpha(data, ordinal: false), OrientationFreeAgreement.alpha(flipped, ordinal: false)),
            (OrientationFreeAgreement.alpha(data, ordinal: true), OrientationFreeAgreement.alpha(flipped, ordinal: true)),
        ] {
            XCTAssertEqual(x.value!, y.value!, accuracy: 1e-12)
        }
        // The usual kappa does move with the orientation.
        XCTAssertNotEqual(GwetFleissKappa.compute(data).value!, GwetFleissKappa.compute(flipped).value!, accuracy: 1e-6)
    }

    func testOrientationFreeEqualsTheStandardCoefficientsOnBothOrientations() throws {
        // On data holding every pair in both orientations the marginals are already symmetric.
        let base: [[Int?]] = [[0, 0, 1], [0, 2, 2], [1, 1, nil], [2, 2, 2], [0, 0, 0], [1, 0, 2], [2, nil, 2], [0, 1, 0]]
        let both = base + base.map { $0.map { $0.map { 2 - $0 } } }
        let data = try RatingData(rows: both, categories: ["first", "tie", "second"], raters: ["a", "b", "c"])
        XCTAssertEqual(OrientationFreeAgreement.fleissKappa(data).value!, GwetFleissKappa.compute(data).value!, accuracy: 1e-12)
        XCTAssertEqual(OrientationFreeAgreement.alpha(data, ordinal: false).value!, KrippendorffAlpha.compute(data, level: .nominal).value!, accuracy: 1e-12)
        XCTAssertEqual(OrientationFreeAgreement.alpha(data, ordinal: true).value!, KrippendorffAlpha.compute(data, level: .ordinal).value!, accuracy: 1e-12)
        // Cohen's kappa of a and b, on the pairs both rated, in both orientations.
        let shared = both.compactMap { row in row[0].flatMap { a in row[1].map { (a, $0) } } }
        let standard = RaterPairAgreement.all(data, level: .nominal).first { $0.raters == ("a", "b") }!.cohen.kappa.value!
        XCTAssertEqual(OrientationFreeAgreement.cohenKappa(shared).value!, standard, accuracy: 1e-12)
        // Half the pairs (one orientation only) give the same orientation-free Cohen's kappa.
        let half = base.compactMap { row in row[0].flatMap { a in row[1].map { (a, $0) } } }
        XCTAssertEqual(OrientationFreeAgreement.cohenKappa(half).value!, standard, accuracy: 1e-12)
    }
}
