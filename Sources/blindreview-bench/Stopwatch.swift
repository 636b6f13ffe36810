import Foundation

/// Wall-clock timing for the benchmarks: run a body several times, report the median and the spread.
enum Stopwatch {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, min: Double, max: Double) {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try seconds(body)) }
        times.sort()
        return (times[times.count / 2], times.first!, times.last!)
    }

    static func report(_ name: String, _ result: (median: Double, min: Double, max: Double), goal: Double) {
        let verdict = result.median <= goal ? "meets" : "MISSES"
        print(String(format: "%-58@ median %8.1f ms  (min %.1f, max %.1f)  goal < %.0f ms: %@",
                     name as NSString, result.median * 1000, result.min * 1000, result.max * 1000, goal * 1000, verdict))
    }
}
