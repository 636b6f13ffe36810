// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "blindreview",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "blindreview", targets: ["blindreview"]),
        .library(name: "BlindReviewCore", targets: ["BlindReviewCore"]),
        .library(name: "AgreementStats", targets: ["AgreementStats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"4.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The seeded generator every reproducible random choice uses.
        .target(name: "SeededRandom"),
        // Statistics: Foundation only, one coefficient per file.
        .target(name: "AgreementStats", dependencies: ["SeededRandom"]),
        // Studies, blinding, journals, status: Foundation plus SHA-256/HMAC and YAML. No seeded generator: every
        // blinded choice comes from the study's secret.
        .target(
            name: "BlindReviewCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The lead's report, unblinding, export and import.
        .target(name: "BlindReviewReport", dependencies: ["BlindReviewCore", "AgreementStats", "SeededRandom"]),
        // The annotation UI as a pure state machine drawing into a screen grid.
        .target(name: "BlindReviewTUI", dependencies: ["BlindReviewCore"]),
        // The only code that touches ncurses.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "BlindReviewTerminal", dependencies: ["BlindReviewTUI", "CNcurses"]),
        .executableTarget(
            name: "blindreview",
            dependencies: [
                "BlindReviewCore", "AgreementStats", "BlindReviewReport", "BlindReviewTUI", "BlindReviewTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "blindreview-bench",
            dependencies: ["BlindReviewCore", "AgreementStats", "BlindReviewReport", "BlindReviewTUI", "SeededRandom"]
        ),
        .testTarget(name: "AgreementStatsTests", dependencies: ["AgreementStats", "SeededRandom"]),
        .testTarget(name: "BlindReviewCoreTests", dependencies: ["BlindReviewCore", "SeededRandom"]),
        .testTarget(name: "BlindReviewTUITests", dependencies: ["BlindReviewTUI", "BlindReviewCore"]),
        .testTarget(name: "BlindReviewReportTests", dependencies: ["BlindReviewReport", "BlindReviewCore", "AgreementStats", "SeededRandom"]),
        .testTarget(name: "CLITests", dependencies: ["BlindReviewCore"]),
    ]
)
