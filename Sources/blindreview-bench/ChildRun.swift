import Foundation

/// Runs a program as a child process and measures it from outside: wall time, and peak resident memory from
/// the kernel's own accounting of that one child (`wait4`'s `getrusage` record, `ru_maxrss`). Linux counts in
/// a child's peak the memory it replaced at `exec` (this process's, shared until then), so the benchmarks keep
/// this process small: large inputs are written by child processes.
///
///     let run = try ChildRun.run(binary, ["agreement", "r.csv", "--level", "ordinal"])
///     run.seconds, run.peakBytes, run.status   // 1.92, 180_000_000, 0
struct ChildRun {
    var seconds: Double
    var peakBytes: Int
    var status: Int32

    /// Runs `executable` with `arguments`, standard output to `output` (default: discarded), standard error
    /// discarded, and waits for it.
    static func run(_ executable: URL, _ arguments: [String], output: String = "/dev/null") throws -> ChildRun {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError("cannot start \(executable.path): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Linux reports ru_maxrss in kilobytes.
        let exit: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildRun(seconds: seconds, peakBytes: Int(usage.ru_maxrss) * 1024, status: exit)
    }

    /// This benchmark program itself, to run its generators as children.
    static var bench: URL { URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath() }

    /// Runs it `runs` times; fails unless every run exits 0.
    static func measure(runs: Int, _ executable: URL, _ arguments: [String], output: String = "/dev/null") throws -> (time: Measurement, peakBytes: Int) {
        var times: [Double] = []
        var peak = 0
        for _ in 0..<runs {
            let run = try run(executable, arguments, output: output)
            guard run.status == 0 else {
                throw BenchError("blindreview \(arguments.joined(separator: " ")) exited with \(run.status)")
            }
            times.append(run.seconds)
            peak = max(peak, run.peakBytes)
        }
        return (Measurement(times), peak)
    }
}

/// A failure of the benchmark itself (not a missed goal).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
