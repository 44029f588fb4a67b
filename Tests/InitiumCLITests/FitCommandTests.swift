import Foundation
import Testing

// `initium fit image|audio` and `initium compare --task fit`: the stdout contract, the report
// folder, and bad input (one-line error, exit 1, nothing written). Small tanh/relu MLPs keep the
// debug build fast; the SIREN acceptance runs are in docs/INR.md. The fixtures are copies of
// scripts/make_signal_file_fixtures.py's (Tests/InitiumNNTests/Fixtures/signals).

private func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
}

private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

private let smallImageFit = ["fit", "image", "--image", "camera", "--size", "16", "--model", "mlp:2-16-16-1", "--act", "tanh",
                             "--init", "glorot-uniform", "--steps", "20", "--every", "5", "--lr", "1e-2"]

@Test func fitImagePrintsPSNROnStdoutAndItsCurveInJSON() throws {
    let human = try CLI.run(smallImageFit)
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("PSNR") && human.stdout.contains("after 20 steps"))
    #expect(!human.stderr.contains("after 20 steps"))
    let machine = try CLI.run(smallImageFit + ["--json"])
    #expect(machine.status == 0)
    #expect(machine.stdout.split(separator: "\n").count == 1)
    let json = try #require(machine.json)
    let curve = try #require(json["psnr_curve"] as? [[Any]])
    #expect(curve.map { number($0[0]) } == [0, 5, 10, 15, 20])
    let final = try #require(number(json["psnr"]))
    #expect(number(curve.last?[1]) == final)
    // Adam at lr 1e-2 on a 16² image: the fit improves on the initial network.
    #expect(final > (number(curve.first?[1]) ?? .infinity) + 1)
    #expect(json["steps"] as? Int == 20)
    #expect((number(json["seconds"]) ?? -1) > 0)
}

@Test func fitReportFolderHoldsTheFiguresAndTheReconstruction() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report").path
    let weights = directory.appendingPathComponent("fit.safetensors").path
    let result = try CLI.run(smallImageFit + ["--report", report, "--save", weights])
    #expect(result.status == 0, "\(result.stderr)")
    for name in ["report.json", "reconstruction.png", "target.png", "psnr.svg", "error-spectrum.svg", "README.md"] {
        #expect(FileManager.default.fileExists(atPath: report + "/" + name), "missing \(name)")
    }
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report + "/report.json"))) as? [String: Any])
    #expect(json["model"] as? String == "mlp:2-16-16-1")
    #expect(json["init"] as? String == "glorot-uniform")
    #expect((json["psnr_curve"] as? [Any])?.count == 5)
    // the saved weights start a new fit where the first one ended
    let resumed = try CLI.run(Array(smallImageFit.dropLast(6)) + ["--steps", "1", "--every", "1", "--init-from", weights, "--json"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let start = try #require(number(((resumed.json?["psnr_curve"] as? [[Any]])?.first)?[1]))
    #expect(abs(start - (number(json["psnr"]) ?? 0)) < 1e-3)
}

@Test func fitAudioReadsAWAV() throws {
    let result = try CLI.run(["fit", "audio", "--audio", fixture("stereo-16bit.wav"), "--model", "mlp:1-8-1", "--act", "tanh",
                              "--init", "glorot-uniform", "--steps", "3", "--every", "1", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.json?["grid"] as? [Int] == [9])
    #expect((result.json?["psnr_curve"] as? [Any])?.count == 4)
}

@Test func compareFitsSeveralInitsOnOneSignal() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("cmp").path
    let result = try CLI.run(["compare", "--task", "fit(image=camera,size=12,steps=6,every=3,lr=0.01)", "--model", "mlp:2-8-1",
                              "--act", "tanh", "--inits", "glorot-uniform,he-normal", "--report", report, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try #require(result.json?["results"] as? [[String: Any]])
    #expect(rows.map { $0["init"] as? String } == ["glorot-uniform", "he-normal"])
    #expect(rows.allSatisfy { ($0["psnr_curve"] as? [Any])?.count == 3 && number($0["psnr"]) != nil })
    #expect(result.stderr.contains("PSNR (dB)"))
    for name in ["results.json", "psnr.svg", "error-spectrum.svg", "README.md", "reconstruction-1-glorot-uniform.png", "reconstruction-2-he-normal.png"] {
        #expect(FileManager.default.fileExists(atPath: report + "/" + name), "missing \(name)")
    }
}

/// Bad input: exit 1, one error line naming the problem, and no report written.
@Test(arguments: [
    (["fit", "image", "--image", fixture("truncated.png")], "truncated"),
    (["fit", "image", "--image", fixture("stereo-16bit.wav")], "not a PNG"),
    (["fit", "image", "--image", fixture("grey-7x5.png"), "--size", "0"], "must be positive"),
    (["fit", "image", "--image", fixture("grey-7x5.png"), "--size", "6"], "above the image"),
    (["fit", "audio", "--audio", fixture("pcm-8bit.wav")], "8-bit PCM"),
    (["fit", "image", "--image", fixture("grey-7x5.png"), "--init-from", fixture("mlp-2-8-3.safetensors")], "mlp-2-8-3.safetensors"),
    (["fit", "image", "--image", fixture("grey-7x5.png"), "--steps", "0"], "--steps must be at least 1"),
    (["compare", "--task", "fit(image=camera)", "--inits", "siren"], "needs --model"),
])
func badFitInputIsAOneLineError(arguments: [String], needle: String) throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report").path
    let model = arguments[0] == "compare" ? [] : ["--model", arguments[1] == "audio" ? "mlp:1-8-1" : "mlp:2-8-1"]
    let result = try CLI.run(arguments + model + ["--report", report])
    #expect(result.status == 1, "\(arguments): status \(result.status) \(result.stderr)")
    #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(needle), "\(arguments): \(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: report))
}

@Test func benchFitReportsStepsPerSecond() throws {
    let arguments = ["bench", "fit", "--size", "8", "--model", "mlp:2-8-1", "--act", "relu", "--init", "he-uniform", "--steps", "3", "--warmup", "1"]
    let human = try CLI.run(arguments)
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("steps/s"))
    let json = try #require(try CLI.run(arguments + ["--json"]).json)
    #expect((number(json["steps_per_second"]) ?? 0) > 0)
    #expect(json["batch"] as? Int == 64)
}
