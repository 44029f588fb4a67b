import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

private func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
}

@Test func readsPlainAndGzippedIDX() throws {
    for name in ["valid-images.idx", "valid-images.idx.gz"] {
        let file = try IDXFile(path: fixture(name))
        #expect(file.shape == [2, 3, 4])
        #expect(file.values == (0..<24).map(Float.init))
    }
    #expect(try IDXFile(path: fixture("float-values.idx")).values == [1.5, -2, 0.25])
    // a gzipped rank-1 label file, as Fashion-MNIST's (scripts/make_idx_fixtures.py: labels 7, 3)
    let labels = try IDXFile(path: fixture("valid-labels.idx.gz"))
    #expect(labels.shape == [2] && labels.values == [7, 3])
}

@Test(arguments: [
    ("short-images.idx", "truncated"),
    ("bad-magic.idx", "bad magic number"),
    ("truncated.idx.gz", "truncated gzip"),
    ("no-such-file.idx", "no such file"),
])
func damagedIDXFilesThrowErrorsNamingFileAndProblem(name: String, problem: String) throws {
    let directory = try #require(Bundle.module.url(forResource: "valid-images.idx", withExtension: nil, subdirectory: "Fixtures"))
        .deletingLastPathComponent()
    let path = directory.appendingPathComponent(name).path
    do {
        _ = try IDXFile(path: path)
        Issue.record("\(name) was accepted")
    } catch let error as InitiumError {
        #expect(error.description.contains(path))
        #expect(error.description.contains(problem))
    }
}

@Test func missingDatasetNamesTheDebianPackage() {
    do {
        _ = try FashionMNIST.load(split: .train, directory: "/nonexistent/fashion")
        Issue.record("missing dataset was accepted")
    } catch let error as InitiumError {
        #expect(error.description.contains("dataset-fashion-mnist"))
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Test func dataDirectoryResolutionPrefersFlagThenEnvironment() {
    #expect(FashionMNIST.directory(explicit: "/a", environment: ["INITIUM_DATA": "/b"]) == "/a")
    #expect(FashionMNIST.directory(explicit: nil, environment: ["INITIUM_DATA": "/b"]) == "/b")
    #expect(FashionMNIST.directory(explicit: nil, environment: [:]) == FashionMNIST.defaultDirectory)
}

/// A small slice of the real Fashion-MNIST, when installed (it is, via scripts/install-system-deps).
@Test(.enabled(if: FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory + "/t10k-labels-idx1-ubyte.gz")))
func fashionMNISTTestSplitLoads() throws {
    let test = try FashionMNIST.load(split: .test, directory: FashionMNIST.defaultDirectory)
    #expect(test.count == 10_000)
    #expect(test.exampleShape == [1, 28, 28])
    #expect(test.inputs.min() >= 0 && test.inputs.max() <= 1)
    // Balanced classes: exactly 1,000 test images per class.
    for c in 0..<10 { #expect(test.labels.filter { $0 == c }.count == 1000) }
}
