import Foundation
import XCTest

/// The HTML report in a real headless Chromium at a phone's and a laptop's size: no horizontal scrolling of
/// the page, no console errors, a screenshot at each size. Skips where Chromium is absent
/// (`apt-get install chromium` brings it).
final class HTMLReportInBrowserTests: XCTestCase {
    func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(_ path: String, _ arguments: [String]) throws -> (out: String, err: String) {
        let result = try runProcess(URL(fileURLWithPath: path), arguments)
        return (result.stdout, result.stderr)
    }

    func testReportFitsAPhoneAndALaptopWithoutErrors() throws {
        guard let browser = chromium() else { throw XCTSkip("Chromium is absent") }
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairs = (1...6).map { #"{"id": "p\#($0)", "prompt": "Question \#($0)?", "response_a": "short \#($0)", "response_b": "a longer answer \#($0)", "mapping": {"a": "a-base-model-with-a-long-name", "b": "tuned"}}"# }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "ann,bo,cy"], in: folder).status, 0)
        var labels = "id,annotator,preference,accuracy_a,accuracy_b,fluency_a,fluency_b\n"
        for item in 1...6 { for (n, annotator) in ["ann", "bo", "cy"].enumerated() { labels += "p\(item),\(annotator),\((item + n) % 3 == 0 ? "a" : "b"),\(1 + (item + n) % 5),\(1 + (item * 2 + n) % 5),3,4\n" } }
        try Data(labels.utf8).write(to: folder.appendingPathComponent("labels.csv"))
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
        let report = try runBlindReview(["report", "s", "--format", "html", "--output", "report.html", "--bootstrap", "100"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        // A probe copy writes the page's scroll width into its title (the report itself has no script).
        let probe = html.replacingOccurrences(
            of: "</body>", with: "<script>window.onload=function(){document.title='W'+document.documentElement.scrollWidth+'/'+window.innerWidth}</script></body>")
        try Data(probe.utf8).write(to: folder.appendingPathComponent("probe.html"))
        for (width, height) in [(390, 844), (1440, 900)] {
            let flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=\(width),\(height)"]
            let dom = try run(browser, flags + ["--virtual-time-budget=3000", "--enable-logging=stderr", "--v=0", "--dump-dom", folder.appendingPathComponent("probe.html").absoluteString])
            let title = try XCTUnwrap(dom.out.range(of: #"<title>W(\d+)/(\d+)</title>"#, options: .regularExpression).map { String(dom.out[$0]) }, dom.err)
            let numbers = title.dropFirst(8).dropLast(8).split(separator: "/").compactMap { Int($0) }
            XCTAssertEqual(numbers.count, 2, title)
            XCTAssertLessThanOrEqual(numbers[0], numbers[1], "\(width)x\(height): the page scrolls sideways (\(title))")
            let consoleErrors = dom.err.split(separator: "\n").filter { $0.contains("CONSOLE") && !$0.contains("probe") }
            XCTAssertEqual(consoleErrors, [], "\(width)x\(height): console messages")
            let shot = folder.appendingPathComponent("report-\(width)x\(height).png")
            _ = try run(browser, flags + ["--screenshot=\(shot.path)", folder.appendingPathComponent("report.html").absoluteString])
            XCTAssertGreaterThan((try? Data(contentsOf: shot).count) ?? 0, 1000, "a screenshot at \(width)x\(height)")
        }
    }
}
