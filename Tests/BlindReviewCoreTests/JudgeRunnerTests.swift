import BlindReviewCore
import Foundation
import XCTest

/// The judge runner under a full disk, and a judge command that leaves something running.
final class JudgeRunnerTests: XCTestCase {
    var folder: URL!
    var store: StudyStore!
    var study: Study!
    var hash: String!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        store = StudyStore(folder: folder.appendingPathComponent("sessions/s"))
        let built = try StudyBuilder.build(pairs: samplePairs(5), models: ["base", "tuned"], options: StudyOptions(name: "s", seed: 6, annotators: ["alice"]))
        try store.create(built, keyFile: store.defaultKeyFile, force: false)
        (study, hash) = try store.load()
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testAFullDiskStopsTheRunKeepsEveryVerdictWrittenAndResumes() throws {
        let faults = Faults()
        let judge = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "llm", io: faults.io)
        // Three verdicts go through, then the disk is full.
        let written = Counter()
        let options = JudgeRunner.Options(command: #"printf '{"winner":"A"}'"#, workers: 3, timeout: 30)
        XCTAssertThrowsError(try JudgeRunner.run(journal: judge, items: try store.loadItems(for: study), options: options) { summary in
            if written.increment() == 3 { faults.writeError = ENOSPC; faults.tornBytes = 7 }
        })
        judge.close()
        let loaded = StudyJournals.load(store: store, study: study, studySHA256: hash)
        XCTAssertEqual(loaded.refused.map(\.description), [])
        XCTAssertEqual(loaded.warnings.map(\.description), [], "the failed write was cut back: no torn line")
        let decided = loaded.derived["llm"]!.journal.state.slots.filter { $0.preference != nil }.count
        XCTAssertEqual(decided, 3)

        let again = try JudgeJournal.open(store: store, study: study, studySHA256: hash, judge: "llm")
        defer { again.close() }
        let summary = try JudgeRunner.run(journal: again, items: try store.loadItems(for: study), options: options)
        XCTAssertEqual(summary.alreadyDone, 3)
        XCTAssertEqual(summary.judged, 7)
        XCTAssertEqual(summary.remaining, 0)
    }

    func testACommandThatLeavesABackgroundProcessStillGivesItsVerdict() throws {
        let started = Date()
        let outcome = JudgeProcess.run(command: #"sleep 30 & printf '{"winner":"tie"}'"#, input: Data("{}".utf8), timeout: 20) { false }
        guard case .finished(let status, _, let stdout, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(status, 0)
        XCTAssertEqual(String(decoding: stdout, as: UTF8.self), #"{"winner":"tie"}"#)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "not held until the background sleep ends")
    }

    func testACommandThatReadsNoInputAndOneThatIsKilled() throws {
        let big = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        guard case .finished(0, nil, let out, _) = JudgeProcess.run(command: "echo ok", input: big, timeout: 20, cancelled: { false }) else { return XCTFail() }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "ok\n")
        guard case .finished(let status, let signal, _, _) = JudgeProcess.run(command: "kill -9 $$", input: Data(), timeout: 20, cancelled: { false }) else { return XCTFail() }
        XCTAssertEqual(signal, 9)
        XCTAssertEqual(status, 137)
        XCTAssertEqual(JudgeProcess.run(command: "sleep 30", input: Data(), timeout: 20, cancelled: { true }), .cancelled)
        XCTAssertEqual(JudgeProcess.run(command: "head -c 20000000 /dev/zero", input: Data(), timeout: 20, cancelled: { false }), .outputTooLarge(JudgeProcess.maxOutput))
    }
}

/// A counter shared with a @Sendable closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
