/// The command-line flag of each library property that error messages name. Library messages
/// name properties in backquotes (`` `batchSize` must be at least 2 ``); the tool prints the flag
/// the user typed instead (`--batch must be at least 2`), and a property without a flag plainly.
enum FlagNames {
    /// Library property → flag.
    static let flags: [String: String] = [
        "activation": "--act",
        "allowsCollapse": "--allow-collapse",
        "batchSize": "--batch",
        "classifierRate": "--classifier-rate",
        "clipNorm": "--clip",
        "decaysAllParameters": "--decay-all",
        "density": "--density",
        "dimension": "--dim",
        "diffusionSteps": "--diffusion-steps",
        "directory": "--data-dir",
        "epochs": "--epochs",
        "includesClassifier": "--include-classifier",
        "learningRate": "--lr",
        "levels": "--levels",
        "method": "--method",
        "momentum": "--momentum",
        "negativeSamples": "--negatives",
        "prompt": "--prompt",
        "rate": "--rate",
        "rewindStep": "--rewind-step",
        "rounds": "--rounds",
        "samples": "--samples",
        "sigma": "--sigma",
        "scope": "--scope",
        "steps": "--steps",
        "temperature": "--temperature",
        "tokens": "--tokens",
        "topK": "--top-k",
        "trainLimit": "--limit-train",
        "warmup": "--warmup",
        "weightDecay": "--weight-decay",
        "weights": "--weights",
    ]

    /// `message` with every backquoted property replaced by its flag (or by the bare name when it
    /// has none).
    static func commandLine(_ message: String) -> String {
        var result = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "`") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "`") else { break }
            let name = String(rest[afterOpen..<close])
            result += rest[..<open] + (flags[name] ?? name)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
