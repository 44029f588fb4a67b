import ArgumentParser
import Foundation
import InitiumCore
import InitiumNN

/// `initium embed`: one sentence embedding per input line from a BERT checkpoint, as
/// sentence-transformers computes them (mean pooling over non-padding tokens, then L2
/// normalization), written as a float32 `.npy` `[lines, width]`.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write mean-pooled, L2-normalized sentence embeddings of each input line (float32 .npy [lines, width]).")

    @Option(help: "A BERT model with weights: bert:pretrained=DIR (a Hugging Face directory with config.json, model.safetensors, vocab.txt).")
    var model: String
    @Option(help: "A UTF-8 text file, one sentence per line (empty lines are embedded too, as [CLS] [SEP]).") var input: String
    @Option(help: "Output .npy file.") var out: String
    @Option(help: "Tokens per sentence, [CLS] and [SEP] included (sentence-transformers' max_seq_length for all-MiniLM-L6-v2).")
    var maxLength = 256
    @Option(help: "Sentences per forward pass.") var batch = 32
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        guard batch >= 1 else { throw InitiumError.invalidArgument("--batch must be at least 1, got \(batch)") }
        let spec = try ModelSpec(model)
        guard let configuration = spec.configuration as? BERT.Configuration, let directory = configuration.pretrained else {
            throw InitiumError.invalidArgument("--model must be bert:pretrained=DIR (weights to embed with), got '\(model)'")
        }
        guard maxLength >= 2, maxLength <= configuration.context else {
            throw InitiumError.invalidArgument("--max-length must be between 2 and the model's \(configuration.context) positions, got \(maxLength)")
        }
        let tokenizer = WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: (directory as NSString).appendingPathComponent("vocab.txt")))
        guard let data = FileManager.default.contents(atPath: input) else {
            throw InitiumError.invalidArgument("cannot read --input \(input)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InitiumError.invalidArgument("--input \(input) is not UTF-8 text")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw InitiumError.invalidArgument("--input \(input) has no lines") }
        let built = try spec.build(activation: try Activation("gelu"), inputShape: [maxLength], classCount: 2, key: RandomKey(seed: runOptions.seed))
        guard let bert = built as? BERT else { throw InitiumError.internalFailure("bert:pretrained built \(type(of: built))") }
        var rows: [Float] = []
        rows.reserveCapacity(lines.count * configuration.width)
        var bar = ProgressBar(total: lines.count, label: "embed")
        for start in stride(from: 0, to: lines.count, by: batch) {
            let chunk = Array(lines[start..<min(start + batch, lines.count)])
            let ids = try tokenizer.encodePadded(chunk, maxLength: maxLength)
            rows += try bert.sentenceEmbeddings(ids).scalars
            bar.update(start + chunk.count, detail: "")
        }
        let embeddings = try Tensor(shape: [lines.count, configuration.width], scalars: rows)
        try NumPyFile.write(embeddings, to: out)
        console.answer("\(lines.count) embeddings of width \(configuration.width) → \(out)")
        try console.emit(EmbedReport(lines: lines.count, width: configuration.width, out: out))
    }
}

/// The JSON line of `initium embed`.
struct EmbedReport: Encodable {
    var lines: Int
    var width: Int
    var out: String
}
