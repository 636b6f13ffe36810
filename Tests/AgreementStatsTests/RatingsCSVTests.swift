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

    /// The same ratings in any row order give the same data (items keep their first-seen order), and a repeat
    /// found late in a shuffled file still names both lines.
    func testRowOrderDoesNotChangeTheRatings() throws {
        var rows: [String] = []
        for item in 0..<300 {
            for rater in 0..<4 where (item + rater) % 7 != 0 { rows.append("i\(item),r\(rater),\((item * 3 + rater) % 5 + 1)") }
        }
        let sorted = try read("item,rater,value\n" + rows.joined(separator: "\n"), level: .ordinal)
        var rng = SystemRandomNumberGenerator()
        var shuffled = rows
        shuffled.shuffle(using: &rng)
        let moved = try read("item,rater,value\n" + shuffled.joined(separator: "\n"), level: .ordinal)
        XCTAssertEqual(Set(moved.items), Set(sorted.items))
        let position = Dictionary(uniqueKeysWithValues: moved.items.enumerated().map { ($1, $0) })
        XCTAssertEqual(moved.data.ratingCount, sorted.data.ratingCount)
        for (index, item) in sorted.items.enumerated() {
            let r = sorted.data.raterCount
            let before = Dictionary(uniqueKeysWithValues: (0..<r).map { (sorted.data.raters[$0], sorted.data.patterns[Int(sorted.data.itemPattern[index]) * r + $0]) })
            let after = Dictionary(uniqueKeysWithValues: (0..<r).map { (moved.data.raters[$0], moved.data.patterns[Int(moved.data.itemPattern[position[item]!]) * r + $0]) })
            XCTAssertEqual(before, after, item)
        }
        let again = shuffled + ["\(shuffled[17].split(separator: ",")[0]),\(shuffled[17].split(separator: ",")[1]),2"]
        assertError(try read("item,rater,value\n" + again.joined(separator: "\n"), level: .ordinal),
                    ["r.csv:\(again.count + 1)", "again", "first on line 19"])
    }

    /// A bad value is reported before a repeated rating, wherever each is, with the value's first line.
    func testBadValueComesBeforeARepeatAndNamesItsFirstLine() {
        assertError(try read("item,rater,value\n1,a,1\n1,a,1\n2,a,x\n3,b,x\n", level: .ordinal), ["r.csv:4", "\"x\""])
    }

    func testReadsAFileOrAPipeByPathAndRefusesAFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ratings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("r.csv")
        try Data("item,rater,value\n1,a,1\n1,b,2\n".utf8).write(to: file)
        let ratings = try RatingsCSV.read(contentsOfFile: file.path)
        XCTAssertEqual(ratings.data.ratingCount, 2)
        assertError(try RatingsCSV.read(contentsOfFile: folder.path), ["is a folder"])
        // A pipe is read until it ends.
        let fifo = folder.appendingPathComponent("pipe.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo.path)!
            handle.write(Data(("item,rater,value\n" + (0..<50_000).map { "i\($0),a,1\ni\($0),b,2" }.joined(separator: "\n")).utf8))
            handle.closeFile()
        }
        writer.start()
        XCTAssertEqual(try RatingsCSV.read(contentsOfFile: fifo.path).data.ratingCount, 100_000)
        assertError(try RatingsCSV.read(contentsOfFile: folder.appendingPathComponent("none.csv").path), ["none.csv", "cannot be read"])
    }

    /// Plain rows take a fast path and others the general reader; mixed in one file, line numbers, trimming,
    /// CRLF, blank lines, quoted ids and a last row without its newline all come out as if read one way.
    func testPlainAndQuotedRowsMixWithTheirLineNumbers() throws {
        let text = "item,rater,value\r\n a , x ,1\r\n\r\n\"a\",y,2\nb,x,\t3\n\nb,\"y\",1\rc,x,2"
        let ratings = try read(text)
        XCTAssertEqual(ratings.items, ["a", "b", "c"])
        XCTAssertEqual(ratings.data.raters, ["x", "y"])
        XCTAssertEqual(ratings.data.ratingCount, 5)
        XCTAssertEqual(ratings.data.categories, ["1", "2", "3"])
        assertError(try read("item,rater,value\n1,a,1\n\n1,b,2,9\n"), ["r.csv:4", "4 fields, expected 3"])
        assertError(try read("item,rater,value\n1,a,1\r\n\"2\",b,2\n2,b,3\n"), ["r.csv:4", "again", "first on line 3"])
        assertError(try read("item,rater,value\n1,a,1\n,b,2\n"), ["r.csv:3", "empty item or rater"])
        var bad = Data("item,rater,value\n1,a,1\n1,b,".utf8)
        bad.append(contentsOf: [0xC3, 0x0A])
        assertError(try RatingsCSV.read(bad, file: "r.csv"), ["r.csv:3", "invalid UTF-8"])
    }

    /// More than 254 distinct values: the byte columns widen to 32 bits mid-file, keeping what was read.
    func testManyDistinctValuesWidenTheColumns() throws {
        var rows = ["item,rater,value"]
        for item in 0..<400 { rows.append("i\(item),a,v\(item)"); rows.append("i\(item),b,v\(item % 7)") }
        let ratings = try read(rows.joined(separator: "\n"))
        XCTAssertEqual(ratings.data.categories.count, 400)
        XCTAssertEqual(ratings.data.ratingCount, 800)
        let r = ratings.data.raterCount
        for item in [0, 6, 7, 254, 255, 399] {
            let row = Int(ratings.data.itemPattern[item]) * r
            XCTAssertEqual(ratings.data.categories[Int(ratings.data.patterns[row])], "v\(item)")
            XCTAssertEqual(ratings.data.categories[Int(ratings.data.patterns[row + 1])], "v\(item % 7)")
        }
        assertError(try read(rows.joined(separator: "\n") + "\ni3,a,v1"), ["r.csv:802", "again", "first on line 8"])
    }
}
