import Foundation
import Testing

// `initium meta-init`: its answer on stdout and in JSON, the report folder, and the learned file
// read back by `initium fit --init-from` (and refused for another architecture).

private func smallMetaInit(out: String) -> [String] {
    ["meta-init", "--model", "inr:in=2,out=1,layers=3,width=16,act=sine(omega=30)", "--outer-steps", "4", "--inner-steps", "2",
     "--tasks", "6", "--held-out", "2", "--compare-at", "2", "--baseline-steps", "6", "--out", out]
}

@Test func metaInitWritesAFileFitReadsBack() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let weights = directory.appendingPathComponent("init.safetensors").path
    let report = directory.appendingPathComponent("report").path

    let human = try CLI.run(smallMetaInit(out: weights) + ["--report", report])
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("meta-training: adapted PSNR") && human.stdout.contains("held-out (2 test images)"))
    for name in ["report.json", "meta-training.svg", "held-out.svg", "README.md"] {
        #expect(FileManager.default.fileExists(atPath: report + "/" + name), "missing \(name)")
    }

    let machine = try CLI.run(smallMetaInit(out: weights) + ["--json"])
    #expect(machine.status == 0, "\(machine.stderr)")
    #expect(machine.stdout.split(separator: "\n").count == 1)
    let json = try #require(machine.json)
    #expect(json["method"] as? String == "reptile")
    #expect((json["meta_training_curve"] as? [Any])?.count == 2)
    let learned = try #require(json["learned"] as? [String: Any])
    #expect((learned["mean_psnr_curve"] as? [Any])?.count == 3)
    let baseline = try #require(json["baseline"] as? [String: Any])
    #expect((baseline["mean_psnr_curve"] as? [Any])?.count == 7)

    let fit = try CLI.run(["fit", "image", "--image", "camera", "--size", "28", "--model", "inr:in=2,out=1,layers=3,width=16,act=sine(omega=30)",
                           "--init-from", weights, "--steps", "2", "--every", "1", "--json"])
    #expect(fit.status == 0, "\(fit.stderr)")
    let other = try CLI.run(["fit", "image", "--image", "camera", "--size", "28", "--model", "inr:in=2,out=1,layers=3,width=8,act=sine(omega=30)",
                             "--init-from", weights, "--steps", "2"])
    #expect(other.status == 1)
    #expect(other.stderr.contains("was made for inr:in=2,out=1,layers=3,width=16"))
}

@Test func metaInitRefusesBadInputBeforeWritingAnything() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let weights = directory.appendingPathComponent("init.safetensors").path
    for (extra, needle) in [(["--inner-optimizer", "rmsprop"], "unknown --inner-optimizer"), (["--method", "tiny-reptile", "--outer-lr", "2"], "β₀ must be at most 1"),
                            (["--family", "celeba"], "unknown signal family"), (["--compare-at", "9"], "--baseline-steps at least --compare-at")] {
        let result = try CLI.run(smallMetaInit(out: weights) + extra)
        #expect(result.status == 1, "\(extra)")
        #expect(result.stderr.contains(needle), "\(extra): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: weights))
    }
    let wrongName = try CLI.run(smallMetaInit(out: directory.appendingPathComponent("init.bin").path))
    #expect(wrongName.status == 1 && wrongName.stderr.contains("--out must name a .safetensors file"))
}
