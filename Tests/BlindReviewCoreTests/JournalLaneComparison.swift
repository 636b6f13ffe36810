@testable import BlindReviewCore
import Foundation
import XCTest

/// What the journal fast-lane tests share: lines in the writer's form, and one comparison of the loader's fast
/// lane (``JournalPlanLineReader``) with the general way of reading every line.
enum JournalLaneComparison {
    /// A journal header line for `annotator` of study "s" with `hash`.
    static func header(hash: String, annotator: String, kind: AnnotatorKind? = nil) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let value = JournalHeader(study: "s", studySHA256: hash, annotator: annotator, created: "2026-12-01T10:00:00.000Z", kind: kind)
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// An event's line as the writer writes it (the fast writer, or `JSONEncoder` for what it leaves).
    static func line(_ event: JournalEvent) -> String {
        if let data = JournalLineWriter.line(event) { return String(decoding: data, as: UTF8.self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(event), as: UTF8.self)
    }

    /// Loads `bytes` with and without the fast lane: the same journal (events with the same bytes in every id,
    /// fold, warnings, counts), or the same error on the same line.
    static func assertSameLoad(
        _ bytes: [UInt8], study: Study, hash: String, annotator: String, _ what: String = "", file: StaticString = #filePath, line: UInt = #line
    ) {
        func load(_ fast: Bool) -> Result<LoadedJournal, BlindReviewError> {
            do {
                return .success(try JournalLoader.load(
                    bytes: bytes, file: "journals/\(annotator).jsonl", study: study, studySHA256: hash, annotator: annotator,
                    keepingEvents: true, fastLane: fast))
            } catch let error as BlindReviewError {
                return .failure(error)
            } catch {
                XCTFail("\(what): \(error)", file: file, line: line)
                return .failure(BlindReviewError(message: "\(error)"))
            }
        }
        func idBytes(_ journal: LoadedJournal) -> [[[UInt8]?]] {
            journal.events.map { [$0.item, $0.response, $0.criterion, $0.option, $0.text, $0.t].map { $0.map { Array($0.utf8) } } }
        }
        switch (load(true), load(false)) {
        case (.success(let fast), .success(let general)):
            XCTAssertEqual(fast.events, general.events, what, file: file, line: line)
            XCTAssertEqual(fast.state, general.state, what, file: file, line: line)
            // Equal as Swift strings is not enough: the ids must be the same bytes.
            XCTAssertEqual(idBytes(fast), idBytes(general), what, file: file, line: line)
            XCTAssertEqual(fast.eventCount, general.eventCount, what, file: file, line: line)
            XCTAssertEqual(fast.warnings, general.warnings, what, file: file, line: line)
            XCTAssertEqual(fast.intactLength, general.intactLength, what, file: file, line: line)
        case (.failure(let fast), .failure(let general)):
            XCTAssertEqual(fast.description, general.description, what, file: file, line: line)
            XCTAssertEqual(fast.line, general.line, what, file: file, line: line)
        case (let fast, let general):
            XCTFail("\(what): fast lane \(fast), general way \(general)", file: file, line: line)
        }
    }
}
