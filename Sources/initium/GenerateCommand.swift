import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumNN

/// `initium generate`: samples text from a byte-level language model saved by `train --save`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Sample text from a byte-level language model saved by `initium train --save` (e.g. a gpt: model).")

    @Option(help: "The .safetensors checkpoint written by `initium train --save`.")
    var checkpoint: String
    @Option(help: "The text to continue (its UTF-8 bytes are the first tokens; at most the model's context).")
    var prompt: String
    @Option(help: "Bytes to generate.")
    var tokens = 200
    @Option(help: "Softmax temperature (0: always the most likely byte).")
    var temperature: Float = 0.8
    @Option(help: "Sample among the k most likely bytes only.")
    var topK = 40
    @Option(help: "Seed of the sampling draws (draw i uses key(seed).fold(\"generate\").fold(i)).")
    var seed: UInt64 = 0
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try threadOptions.apply()
        let generation = TextGeneration(prompt: prompt, tokens: tokens, temperature: temperature, topK: topK, seed: seed)
        let (saved, model) = try ModelCheckpoint.load(from: checkpoint)
        guard let sequenceModel = model as? any SequenceModel else {
            throw InitiumError.invalidArgument("\(checkpoint) holds \(saved.model), not a language model over token sequences")
        }
        let result = try generation.run(model: sequenceModel)
        console.answer(result.prompt + result.text)
        try console.emit(result)
    }
}
