import AgreementStats
import Foundation
import XCTest

final class RatingsCSVTests: XCTestCase {
    func read(_ text: String, wide: Bool = false, categories: [String]? = nil, level: MeasurementLevel = .nominal) throws -> RatingsCSV.Ratings {
        try RatingsCSV.read(Data(text.utf8), file: "r.csv", wide: wide, categories: categories, level: level)
    }

    func assertError(_ body: @autoclosure () throws -> Any, _ fragments: [String], line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error", line: line)
        } catch {
            for fragment in fragments {
                XCTAssertTrue("\(error)".contains(fragment), "\"\(error)\" lacks \"\(fragment)\"", line: line)
            }
        }
    }

    func testLongFormWithMissingValuesQuotesAndNumericOrder() throws {
        let ratings = try read("item,rater,value\r\n\"q,1\",ann,10\nq2,ann,9\nq2,bo,\n\"q,1\",bo,\"10\"\nq3,bo,2\n")
        XCTAssertEqual(ratings.items, ["q,1", "q2", "q3"])
        XCTAssertEqual(ratings.data.raters, ["ann", "bo"])
        XCTAssertEqual(ratings.data.categories, ["2", "9", "10"])
        XCTAssertEqual(ratings.data.ratingCount, 4)
    }

    func testWideFormAndDeclaredCategories() throws {
        let ratings = try read("item,ann,bo,cy\n1,3,3,\n2,1,,2\n", wide: true, categories: ["1", "2", "3", "4", "5"])
        XCTAssertEqual(ratings.data.raters, ["ann", "bo", "cy"])
        XCTAssertEqual(ratings.data.categories.count, 5)
        XCTAssertEqual(ratings.data.ratingCount, 4)
    }

    func testErrorsNameTheLine() {
        assertError(try read("item,rater,value\n1,a,1\n1,a,2\n"), ["r.csv:3", "rated by \"a\" again", "line 2"])
        assertError(try read("item,rater,value\n1,a,1\n1,b,7\n", categories: ["1", "2"]), ["r.csv:3", "\"7\" is not one of"])
        assertError(try read("item,rater,value\n1,a,\"1\n"), ["r.csv:2", "never closed"])
        assertError(try read("item,rater,value\n1,a\n"), ["r.csv:2", "2 fields, expected 3"])
        assertError(try read("id,who,score\n1,a,1\n"), ["r.csv:1", "item, rater and value"])
        assertError(try read(""), ["empty file"])
        assertError(try read("item,rater,value\n1,a,low\n1,b,high\n", level: .ordinal), ["r.csv:2", "order is unknown", "--categories"])
        assertError(try read("item,rater,value\n1,a,1\n1,b,nan\n", level: .ordinal), ["r.csv:3", "\"nan\" is not a finite decimal number"])
        assertError(try read("item,rater,value\n1,a,1\n1,b,inf\n", level: .interval), ["r.csv:3", "\"inf\""])
        assertError(try read("item,a,b\n1,1,2\n1,2,2\n", wide: true), ["r.csv:3", "appears twice"])
        var bad = Data("item,rater,value\n1,a,".utf8)
        bad.append(0xFF)
        bad.append(0x0A)
        assertError(try RatingsCSV.read(bad, file: "r.csv"), ["r.csv:2", "invalid UTF-8"])
    }
}
