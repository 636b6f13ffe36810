import BlindReviewCore
import Foundation
import XCTest

/// Findings of the bad-input issue that are not a plain error: values read wrongly without a word, hostile
/// text reaching the terminal, outputs that misbehave in a spreadsheet.
final class BadInputTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    func testNumbersAreComparedAsNumbersAboveTheNominalLevel() throws {
        try write("r.csv", "item,rater,value\n1,a,1\n1,b,1.0\n2,a,2\n2,b,2\n3,a,1e0\n3,b,1\n4,a,01\n4,b,2\n")
        let ordinal = try runBlindReview(["agreement", "r.csv", "--level", "ordinal", "--format", "json"], in: folder)
        XCTAssertEqual(ordinal.status, 0, ordinal.stderr)
        XCTAssertEqual(try json(ordinal)["percent_agreement_pairwise"] as? Double, 0.75)
        XCTAssertEqual(try json(ordinal)["categories"] as? [String], ["1", "2"])
        let declared = try runBlindReview(["agreement", "r.csv", "--level", "ordinal", "--categories", "1.0,2", "--format", "json"], in: folder)
        XCTAssertEqual(declared.status, 0, declared.stderr)
        XCTAssertEqual(try json(declared)["percent_agreement_pairwise"] as? Double, 0.75)
        // At the nominal level they are labels, as written.
        let nominal = try runBlindReview(["agreement", "r.csv", "--level", "nominal", "--format", "json"], in: folder)
        XCTAssertEqual(try json(nominal)["percent_agreement_pairwise"] as? Double, 0.25)
    }

    func testManyRatersGiveThePooledCoefficientsWithoutThePairTable() throws {
        var csv = "item,rater,value\n"
        for item in 0..<20 { for rater in 0..<250 { csv += "\(item),r\(rater),\((item + rater % 3) % 4)\n" } }
        try write("many.csv", csv)
        let result = try runBlindReview(["agreement", "many.csv", "--level", "nominal", "--format", "json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try json(result)
        XCTAssertNotNil(object["fleiss_kappa"] as? Double)
        XCTAssertEqual((object["pairs"] as? [Any])?.count, 0)
        XCTAssertTrue((object["notes"] as! [String]).contains { $0.contains("per-pair table is not computed for 250 raters") })
    }

    /// Adversarial review: 20 raters on 1,000 ordinal categories ran for minutes (a 1,000 x 1,000 table for each
    /// of 190 pairs); the pair table now has a documented size limit.
    func testManyCategoriesAndRatersStayWithinThePairTableLimit() throws {
        var csv = "item,rater,value\n"
        for item in 0..<20 { for rater in 0..<20 { csv += "\(item),r\(rater),\(1 + (item * 37 + rater * 11) % 1000)\n" } }
        try write("wide.csv", csv)
        let result = try runBlindReview(["agreement", "wide.csv", "--level", "ordinal", "--categories", (1...1000).map(String.init).joined(separator: ","), "--format", "json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try json(result)
        XCTAssertEqual((object["pairs"] as? [Any])?.count, 0)
        XCTAssertNotNil(object["kripp_alpha_ordinal"] as? Double)
        XCTAssertTrue((object["notes"] as! [String]).contains { $0.contains("pairs x categories^2 at most 50000000") })
    }

    func testHostileNamesAreMadeVisibleInEveryHumanOutput() throws {
        let esc = "\u{1B}[2J"
        try write("m1.jsonl", (1...6).map { #"{"id": "q\#($0)", "prompt": "Q?", "response": "one \#($0)"}"# }.joined(separator: "\n"))
        try write("m2.jsonl", (1...6).map { #"{"id": "q\#($0)", "prompt": "Q?", "response": "two \#($0)"}"# }.joined(separator: "\n"))
        let create = try runBlindReview(["create", "s", "--model", "\(esc)evil=m1.jsonl", "--model", "good=m2.jsonl", "--annotators", "ann,bo", "--seed", "1"], in: folder)
        XCTAssertEqual(create.status, 0, create.stderr)
        XCTAssertFalse(create.stdout.contains("\u{1B}") || create.stderr.contains("\u{1B}"))
        XCTAssertTrue(create.stdout.contains("␛[2Jevil"), create.stdout)
        for format in ["text", "markdown"] {
            let report = try runBlindReview(["report", "s", "--bootstrap", "0", "--format", format], in: folder)
            XCTAssertEqual(report.status, 0, report.stderr)
            XCTAssertFalse(report.stdout.contains("\u{1B}"), format)
        }
        let json = try runBlindReview(["report", "s", "--bootstrap", "0", "--format", "json"], in: folder)
        XCTAssertTrue(json.stdout.contains("\\u001b[2Jevil") || json.stdout.contains("\u{1B}[2Jevil") , "JSON carries the data as it is (escaped by JSON's rules)")
        try write("r.csv", "item,rater,value\n1,\(esc)ann,x\n1,bo,y\n")
        let agreement = try runBlindReview(["agreement", "r.csv", "--level", "nominal"], in: folder)
        XCTAssertEqual(agreement.status, 0, agreement.stderr)
        XCTAssertFalse(agreement.stdout.contains("\u{1B}"))
        XCTAssertTrue(agreement.stdout.contains("␛[2Jann"), agreement.stdout)
    }

    func testCSVExportNeutralisesFormulasAndRawKeepsThem() throws {
        try write("pairs.jsonl", """
            {"id": "=HYPERLINK(\\"http://x\\")", "prompt": "Q?", "response_a": "a", "response_b": "b", "mapping": {"a": "+base", "b": "@tuned"}}
            """)
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann"], in: folder).status, 0)
        try write("labels.csv", "id,annotator,preference\n\"'=HYPERLINK(\"\"http://x\"\")\",ann,a\n")
        let imported = try runBlindReview(["import", "s", "labels.csv"], in: folder)
        XCTAssertEqual(imported.status, 0, "the ' added by an export is taken off again: \(imported.stderr)")
        let safe = try runBlindReview(["export", "s", "--format", "csv"], in: folder)
        XCTAssertEqual(safe.status, 0, safe.stderr)
        XCTAssertTrue(safe.stdout.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), safe.stdout)
        XCTAssertTrue(safe.stdout.contains(",'+base,") && safe.stdout.contains("'@tuned"), safe.stdout)
        XCTAssertFalse(safe.stdout.contains(",=") || safe.stdout.contains(",+b") || safe.stdout.contains(",@"))
        let raw = try runBlindReview(["export", "s", "--format", "csv", "--raw"], in: folder)
        XCTAssertTrue(raw.stdout.contains("\"=HYPERLINK(") && raw.stdout.contains(",+base,"), raw.stdout)
    }

    func testSpreadsheetSafetyRoundTrips() {
        for text in ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "plain", "-3.5", "1e-3", "'=already", "''=twice", "'plain", "", "-inf", "-0x10"] {
            XCTAssertEqual(SpreadsheetSafety.restore(SpreadsheetSafety.neutralise(text)), text, text.debugDescription)
        }
        XCTAssertEqual(SpreadsheetSafety.neutralise("-3.5"), "-3.5")
        XCTAssertEqual(SpreadsheetSafety.neutralise("-inf"), "'-inf")
        XCTAssertEqual(SpreadsheetSafety.neutralise("-0x10"), "'-0x10")
    }

    func testStatusShowsImportedPreferencesWithoutScores() throws {
        try write("pairs.jsonl", (1...3).map { #"{"id": "p\#($0)", "prompt": "Q?", "response_a": "a\#($0)", "response_b": "b\#($0)", "mapping": {"a": "m1", "b": "m2"}}"# }.joined(separator: "\n"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann"], in: folder).status, 0)
        try write("labels.csv", "id,annotator,preference\np1,ann,a\np2,ann,tie\n")
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
        let status = try runBlindReview(["status", "s"], in: folder)
        XCTAssertTrue(status.stdout.contains("preferences  complete"), status.stdout)
        XCTAssertTrue(status.stdout.contains("ann                2/3       0/3"), status.stdout)
    }

    func testThreeModelsWithASmallSeededSampleIsFine() throws {
        for model in ["m1", "m2", "m3"] {
            try write("\(model).jsonl", (1...4).map { #"{"id": "q\#($0)", "prompt": "Q?", "response": "\#(model) \#($0)"}"# }.joined(separator: "\n"))
        }
        let result = try runBlindReview(
            ["create", "s", "--model", "a=m1.jsonl", "--model", "b=m2.jsonl", "--model", "c=m3.jsonl", "--annotators", "x", "--sample", "3", "--seed", "2"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("pairs:      3"), result.stdout)
    }

    func testExitStatusesFollowTheTable() throws {
        XCTAssertEqual(try runBlindReview(["status", "--no-such-flag"], in: folder).status, 64, "bad usage")
        XCTAssertEqual(try runBlindReview(["agreement", "x.csv", "--level", "nominal", "--bootstrap", "100000001"], in: folder).status, 64)
        let missing = try runBlindReview(["agreement", "x.csv", "--level", "nominal"], in: folder)
        XCTAssertEqual(missing.status, 1, "bad input")
        XCTAssertTrue(missing.stderr.hasPrefix("error: x.csv: no such file. Check the path."), missing.stderr)
    }
}

/// Adversarial review: text from input reached the Markdown and HTML reports as markup or raw controls.
final class ReportEscapingTests: XCTestCase {
    func testNamesAndNotesCannotAddMarkupOrControls() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostile = "b1\u{202E}<img src=x>**bold**\u{1B}[2J"
        let pairs = (1...3).map { #"{"id": "q\#($0)", "prompt": "Q?", "response_a": "a\#($0)", "response_b": "b\#($0)", "mapping": {"a": "base", "b": "HOSTILE"}, "category": "cat|<b>"}"# }
            .map { $0.replacingOccurrences(of: "HOSTILE", with: hostile.unicodeScalars.map { $0.value < 0x20 || $0.value > 0x7E ? String(format: "\\u%04x", $0.value) : String($0) }.joined()) }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo"], in: folder).status, 0)
        try Data("id,annotator,preference\nq1,ann,a\nq1,bo,b\nq2,ann,b\nq2,bo,b\n".utf8).write(to: folder.appendingPathComponent("l.csv"))
        XCTAssertEqual(try runBlindReview(["import", "s", "l.csv"], in: folder).status, 0)
        for format in ["markdown", "html"] {
            let result = try runBlindReview(["report", "s", "--format", format, "--bootstrap", "0", "--by", "category", "--output", "r.\(format)"], in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
            let text = try String(contentsOf: folder.appendingPathComponent("r.\(format)"), encoding: .utf8)
            XCTAssertFalse(text.contains("\u{1B}") || text.contains("\u{202E}"), "\(format): raw control or bidi override")
            XCTAssertFalse(text.contains("<img") || text.contains("cat|<b>"), "\(format): markup from input")
            XCTAssertTrue(text.contains("&lt;img"), format)
            XCTAssertTrue(text.contains("⟨U+202E⟩"), format)
        }
    }
}
