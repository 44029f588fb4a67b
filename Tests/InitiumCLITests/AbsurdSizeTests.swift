import Foundation
import Testing

/// `initium train --model mlp:784-4294967296-10` exits with status 1 and one error line naming
/// the spec, instead of a fatal allocation error (exit 134) once the layers are built.
@Test func absurdModelSizeIsAUserErrorAtTheCommandLine() throws {
    let result = try CLI.run(["train", "--model", "mlp:784-4294967296-10", "--data", "blobs(n=50)"])
    #expect(result.status == 1, "status \(result.status), stderr: \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("mlp:784-4294967296-10") && result.stderr.contains("memory"), "\(result.stderr)")
}
