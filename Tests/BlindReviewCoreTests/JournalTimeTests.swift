import BlindReviewCore
import Foundation
import XCTest

final class JournalTimeTests: XCTestCase {
    /// The hand-made timestamp is byte for byte what ISO8601DateFormatter writes (UTC, milliseconds), across
    /// years, month ends, leap days and millisecond edges, and reads back to the same millisecond.
    func testTimestampsMatchTheISO8601Formatter() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.5),  // 2000-02-29
                             Date(timeIntervalSince1970: 1_798_761_599.999), Date(timeIntervalSince1970: 1_764_590_400.001)]
        var state: UInt64 = 1
        for _ in 0..<2_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let millis = Double((state >> 24) % 4_000_000_000_000) / 1000
            dates.append(Date(timeIntervalSince1970: millis.truncatingRemainder(dividingBy: 4_000_000_000)))
        }
        for date in dates {
            XCTAssertEqual(JournalTime.string(date), formatter.string(from: date), "\(date.timeIntervalSince1970)")
            let back = JournalTime.date(JournalTime.string(date))!
            XCTAssertEqual((back.timeIntervalSince1970 * 1000).rounded(), (date.timeIntervalSince1970 * 1000).rounded(), accuracy: 1)
        }
    }
}
