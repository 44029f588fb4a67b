// swift-tools-version:6.0
// Initium: neural-network initialization, analysis and pruning at initialization, in Swift.
// Module graph (each target imports only what it lists; docs/ARCHITECTURE.md explains it):
//   InitiumSpec (leaf: spec syntax, activation catalog)   InitiumPlot (leaf: SVG figures)
//   InitiumCore → Spec          InitiumTheory → Spec
//   InitiumNN → Core            InitiumInit → NN, Theory
//   InitiumProbe → NN, Theory   InitiumPrune → NN, Init
//   InitiumLab → NN, Init, Theory, Probe, Plot            initium (CLI) → all of them
import PackageDescription

let package = Package(
    name: "Initium",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "InitiumSpec", targets: ["InitiumSpec"]),
        .library(name: "InitiumCore", targets: ["InitiumCore"]),
        .library(name: "InitiumNN", targets: ["InitiumNN"]),
        .library(name: "InitiumTheory", targets: ["InitiumTheory"]),
        .library(name: "InitiumPlot", targets: ["InitiumPlot"]),
        .library(name: "InitiumInit", targets: ["InitiumInit"]),
        .library(name: "InitiumLab", targets: ["InitiumLab"]),
        .library(name: "InitiumPrune", targets: ["InitiumPrune"]),
        .library(name: "InitiumProbe", targets: ["InitiumProbe"]),
        .executable(name: "initium", targets: ["initium"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        // glibc's <malloc.h> (mallopt), part of libc6-dev: no library to link.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // Debian's libmetis-dev ships no pkg-config file: the header is /usr/include/metis.h.
        .systemLibrary(
            name: "CMetis", path: "Sources/CMetis",
            providers: [.apt(["libmetis-dev"])]),
        .target(name: "InitiumSpec"),
        .target(name: "InitiumCore", dependencies: ["InitiumSpec", "COpenBLAS", "CFFTW"]),
        .target(name: "InitiumNN", dependencies: ["InitiumCore", "CZlib", "CMetis", "CPNG"]),
        .target(name: "InitiumTheory", dependencies: ["InitiumSpec"]),
        .target(name: "InitiumPlot"),
        .target(name: "InitiumInit", dependencies: ["InitiumNN", "InitiumTheory"]),
        .target(name: "InitiumLab", dependencies: ["InitiumNN", "InitiumInit", "InitiumTheory", "InitiumProbe", "InitiumPlot"]),
        .target(name: "InitiumPrune", dependencies: ["InitiumNN", "InitiumInit"]),
        .target(name: "InitiumProbe", dependencies: ["InitiumNN", "InitiumTheory"]),
        .executableTarget(
            name: "initium",
            dependencies: [
                "InitiumCore", "InitiumNN", "InitiumTheory", "InitiumPlot", "InitiumInit", "InitiumLab", "InitiumPrune", "InitiumProbe", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Fixture helpers shared by the test targets (hashed reference weights); never shipped.
        .target(name: "InitiumTestSupport", dependencies: ["InitiumCore"], path: "Tests/InitiumTestSupport"),
        .testTarget(name: "InitiumSpecTests", dependencies: ["InitiumSpec", "InitiumNN", "InitiumTheory"]),
        .testTarget(name: "InitiumCoreTests", dependencies: ["InitiumCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumNNTests", dependencies: ["InitiumNN", "InitiumTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumTheoryTests", dependencies: ["InitiumTheory", "InitiumSpec"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumInitTests", dependencies: ["InitiumInit"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumPlotTests", dependencies: ["InitiumPlot"]),
        .testTarget(name: "InitiumLabTests", dependencies: ["InitiumLab"]),
        .testTarget(name: "InitiumPruneTests", dependencies: ["InitiumPrune", "InitiumTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumProbeTests", dependencies: ["InitiumProbe", "InitiumInit", "InitiumTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InitiumCLITests", dependencies: ["initium", "InitiumCore", "InitiumNN", "InitiumTestSupport"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
