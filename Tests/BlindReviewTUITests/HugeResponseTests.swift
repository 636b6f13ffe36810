import BlindReviewCore
import Foundation
@testable import BlindReviewTUI
import XCTest

/// A response far larger than a screen, on one line: drawn after wrapping only the page shown, yet scrolling to
/// the end, searching and resizing see the whole text, exactly as wrapped eagerly.
final class HugeResponseTests: XCTestCase {
    /// About 600 KB on one line (more than ``WrappedLines/eagerBytes``), with "needle" only in its last words.
    static let huge: String = {
        var words: [String] = []
        let vocabulary = ["the", "account", "日本語", "reset", "émigré", "👍", "security", "e\u{301}", "link", "\u{1B}[31m", "and"]
        var size = 0, index = 0
        while size < 600_000 {
            let word = vocabulary[(index * 7 + index / 3) % vocabulary.count]
            words.append(word)
            size += word.utf8.count + 1
            index += 1
        }
        return words.joined(separator: " ") + " the needle end"
    }()

    /// The study with the huge response as one side (the other short), focused on the huge side.
    func harness(width: Int, height: Int) throws -> (Harness, Side) {
        var h = try Harness(pairs: [("Summarise", Self.huge, "short", nil)], width: width, height: height)
        let side: Side = h.state.response(.a)!.turns[0].utf8.count > 1000 ? .a : .b
        h.press(side == .a ? .left : .right)
        return (h, side)
    }

    func panel(_ side: Side) -> Panel { side == .a ? .responseA : .responseB }

    /// The response panel's text rows (without the title) and its title row.
    func rows(_ h: Harness, _ side: Side) -> (title: String, rows: [String]) {
        let layout = Layout(h.state)
        let rect = layout.rect(panel(side))!
        let grid = h.screen
        // Cells of the panel only (side by side, the other panel follows), continuation cells skipped.
        func row(_ y: Int) -> String {
            (rect.x..<rect.x + rect.width).map { grid[$0, y] }.filter { $0.width > 0 }.map(\.text).joined()
        }
        return (row(rect.y), (rect.y + 1..<rect.y + rect.height).map { row($0).trimmingCharacters(in: .whitespaces) })
    }

    func eager(_ h: Harness, _ side: Side) -> [String] {
        TextWrapper.wrap(Self.huge, width: Layout(h.state).textWidth(panel(side))).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func testFirstFrameWrapsOnlyThePageAndShowsTheTotalOnceKnown() throws {
        for (width, height) in [(60, 18), (80, 24), (200, 60)] {
            var (h, side) = try harness(width: width, height: height)
            let expected = eager(h, side)
            let (title, body) = rows(h, side)
            XCTAssertTrue(title.contains("line 1/…"), "total not yet known at \(width)x\(height): \(title)")
            XCTAssertEqual(body, Array(expected.prefix(body.count)), "\(width)x\(height)")
            let layout = Layout(h.state)
            XCTAssertNil(h.state.responseLines(side, width: layout.textWidth(panel(side))).knownCount,
                         "drawing the first page did not wrap the whole response")
            // An idle second: the total is counted and shown.
            (h.state, _) = AnnotationUpdate.update(h.state, .tick(time: h.time + 1))
            XCTAssertTrue(rows(h, side).title.contains("line 1/\(expected.count)"), rows(h, side).title)
        }
    }

    func testEndShowsTheTrueLastLinesAndPagingAgrees() throws {
        for (width, height) in [(60, 18), (80, 24), (200, 60)] {
            var (h, side) = try harness(width: width, height: height)
            let expected = eager(h, side)
            h.press(.pageDown)
            let page = Layout(h.state).pageSize(panel(side))
            XCTAssertEqual(h.state.scroll[panel(side)], page - 1)
            XCTAssertEqual(rows(h, side).rows, Array(expected[(page - 1)..<(2 * page - 1)]))
            h.press(.end)
            let (title, body) = rows(h, side)
            XCTAssertEqual(body, Array(expected.suffix(page)), "\(width)x\(height)")
            XCTAssertTrue(body.last!.hasSuffix("needle end"))
            XCTAssertTrue(title.contains("line \(expected.count - page + 1)/\(expected.count)"), title)
            h.press(.pageDown)
            XCTAssertEqual(h.state.scroll[panel(side)], expected.count - page, "cannot scroll past the end")
            h.press(.home)
            XCTAssertEqual(rows(h, side).rows, Array(expected.prefix(page)))
        }
    }

    func testSearchFindsAHitAtTheVeryEnd() throws {
        var (h, side) = try harness(width: 80, height: 24)
        let expected = eager(h, side)
        h.press(.character("/"))
        h.type("needle")
        h.press(.enter)
        let hits = h.state.searchHits(Layout(h.state))
        XCTAssertEqual(hits.map(\.panel), [panel(side)])
        XCTAssertEqual(hits.first?.line, expected.lastIndex { $0.contains("needle") })
        XCTAssertTrue(rows(h, side).rows.contains { $0.contains("needle") }, "scrolled to the hit")
    }

    func testAResizeWrapsAgainAtTheNewWidthKeepingThePlace() throws {
        var (h, side) = try harness(width: 200, height: 60)
        h.press(.pageDown, .pageDown)
        for (width, height) in [(120, 40), (80, 24), (60, 18), (200, 60)] {
            (h.state, _) = AnnotationUpdate.update(h.state, .resize(width: width, height: height))
            let expected = eager(h, side)
            let offset = h.state.scroll[panel(side)] ?? 0
            let (title, body) = rows(h, side)
            XCTAssertEqual(body, Array(expected[offset..<(offset + body.count)]), "\(width)x\(height)")
            XCTAssertTrue(title.contains("line \(offset + 1)/"), title)
            h.press(.end)
            XCTAssertEqual(rows(h, side).rows, Array(expected.suffix(Layout(h.state).pageSize(panel(side)))))
            h.press(.home)
        }
    }
}
