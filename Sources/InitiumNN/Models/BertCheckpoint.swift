import Foundation
import InitiumCore

/// A Hugging Face BERT directory (`config.json`, `model.safetensors`, `vocab.txt`), read under
/// Hugging Face's own tensor names (`embeddings.word_embeddings.weight`,
/// `encoder.layer.{i}.attention.self.query.weight`, …, optionally prefixed `bert.`), e.g.
/// sentence-transformers' all-MiniLM-L6-v2.
///
/// Every tensor name and shape is checked against `config.json` before any weight is set, and
/// errors name the file and the tensor or key. Ignored: `embeddings.position_ids`, the
/// pre-training heads (`cls.…`), a previous `classifier.…`, and `pooler.…` unless the model
/// pools the `[CLS]` token.
public enum BertCheckpoint {
    /// The configuration a directory's `config.json` describes, with `pooling`.
    public static func configuration(directory: String, pooling: BERT.Pooling) throws -> BERT.Configuration {
        let path = (directory as NSString).appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: path) else {
            throw InitiumError.file(path: path, problem: "not found (a Hugging Face BERT directory holds config.json, model.safetensors and vocab.txt)")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InitiumError.file(path: path, problem: "cannot be read: \(error.localizedDescription)")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw InitiumError.file(path: path, problem: "is not a JSON object")
        }
        func integer(_ key: String, default fallback: Int? = nil, minimum: Int = 1) throws -> Int {
            guard let raw = json[key] else {
                if let fallback { return fallback }
                throw InitiumError.file(path: path, problem: "missing '\(key)'")
            }
            guard let number = raw as? NSNumber, let value = Int(exactly: number.doubleValue), value >= minimum, value < 1 << 31 else {
                throw InitiumError.file(path: path, problem: "'\(key)' must be an integer of at least \(minimum), got \(raw)")
            }
            return value
        }
        if let type = json["model_type"] as? String, type != "bert" {
            throw InitiumError.file(path: path, problem: "'model_type' is \(type); only BERT checkpoints (model_type bert) are supported")
        }
        if let positions = json["position_embedding_type"] as? String, positions != "absolute" {
            throw InitiumError.file(path: path, problem: "'position_embedding_type' \(positions) is not supported (absolute)")
        }
        let epsilon = (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        guard epsilon >= 0, epsilon.isFinite else {
            throw InitiumError.file(path: path, problem: "'layer_norm_eps' must be a finite number ≥ 0")
        }
        let act = (json["hidden_act"] as? String) ?? "gelu"
        let activation: Activation
        switch act {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh": activation = try Activation("gelu-tanh")
        case "relu": activation = .relu
        case "silu", "swish": activation = try Activation("silu")
        case "tanh": activation = .tanh
        default: throw InitiumError.file(path: path, problem: "'hidden_act' \(act) is not supported (gelu, gelu_new, relu, silu, tanh)")
        }
        let width = try integer("hidden_size"), heads = try integer("num_attention_heads")
        guard width % heads == 0 else {
            throw InitiumError.file(path: path, problem: "'num_attention_heads' (\(heads)) must divide 'hidden_size' (\(width))")
        }
        let vocabulary = try integer("vocab_size")
        let pad = try integer("pad_token_id", default: 0, minimum: 0)
        guard pad < vocabulary else {
            throw InitiumError.file(path: path, problem: "'pad_token_id' \(pad) is outside the vocabulary of \(vocabulary)")
        }
        return try BERT.Configuration(
            layers: integer("num_hidden_layers"), width: width, heads: heads, ffn: integer("intermediate_size"),
            vocabulary: vocabulary, context: integer("max_position_embeddings"), typeVocabulary: integer("type_vocab_size", default: 2),
            epsilon: epsilon, activation: activation, padToken: pad, pooling: pooling, pretrained: directory)
    }

    /// The model of `configuration` with `directory`'s weights and a fresh `classifier` for
    /// `classCount` classes drawn from `scope`'s key (PyTorch's default).
    public static func load(directory: String, configuration: BERT.Configuration, classCount: Int, scope: Scope) throws -> BERT {
        let path = (directory as NSString).appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: path) else {
            throw InitiumError.file(path: path, problem: "not found (a Hugging Face BERT directory holds config.json, model.safetensors and vocab.txt)")
        }
        let stored = try SafeTensorsFile.read(from: path).tensors
        let model = try BERT(configuration, classCount: classCount, scope: Scope(key: nil))
        let expected = model.namedParameters.filter { !$0.path.hasPrefix("classifier.") }
        let expectedNames = Set(expected.map(\.path))
        var byName: [String: StoredArray] = [:]
        for (name, array) in stored {
            let plain = name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
            if expectedNames.contains(plain) {
                guard byName[plain] == nil else { throw InitiumError.file(path: path, problem: "'\(plain)' appears twice") }
                byName[plain] = array
                continue
            }
            let ignored = plain == "embeddings.position_ids" || plain.hasPrefix("cls.") || plain.hasPrefix("classifier.")
                || plain.hasPrefix("pooler.")
            guard ignored else {
                throw InitiumError.file(
                    path: path, problem: "tensor '\(name)' is not part of the BertModel that config.json describes "
                        + "(\(configuration.layers) layers, width \(configuration.width))")
            }
        }
        for (name, parameter) in expected {
            guard let array = byName[name] else {
                throw InitiumError.file(
                    path: path, problem: "no tensor named '\(name)' (config.json describes \(configuration.layers) layers, width \(configuration.width))")
            }
            guard array.tensor.shape == parameter.shape else {
                throw InitiumError.file(
                    path: path, problem: "'\(name)' has shape \(array.tensor.shape), config.json implies \(parameter.shape)")
            }
        }
        for (name, parameter) in expected { parameter.value = byName[name]!.tensor }
        let fresh = Linear(configuration.width, classCount, scope: scope.child("classifier"))
        model.classifier.weight.value = fresh.weight.value
        model.classifier.bias!.value = fresh.bias!.value
        return model
    }
}

extension ModelFamily {
    /// `bert:layers=L,width=D,heads=H,ffn=F[,pool=mean|cls][,vocab=30522][,context=512]` or
    /// `bert:pretrained=DIR[,pool=mean|cls]`.
    public static let bert = ModelFamily.keyed(
        "bert", syntax: "bert:layers=L,width=D,heads=H,ffn=F[,pool=mean|cls][,vocab=30522][,context=512] or bert:pretrained=DIR",
        example: "bert:layers=2,width=128,heads=4,ffn=512",
        summary: "BERT encoder with a classification head (Hugging Face names; mean or [CLS] pooling; pad id 0)", input: .tokens,
        required: [], optional: ["layers", "width", "heads", "ffn", "pool", "vocab", "context", "pretrained"]
    ) { values in
        let pooling = try values.choice("pool", default: BERT.Pooling.mean)
        if let directory = try values.text("pretrained") {
            let sizes = values.keys.subtracting(["pretrained", "pool"])
            guard sizes.isEmpty else {
                throw values.error("'pretrained' takes its sizes from config.json; remove \(sizes.sorted().joined(separator: ", "))")
            }
            return try BertCheckpoint.configuration(directory: directory, pooling: pooling)
        }
        let width = try values.positiveInteger("width"), heads = try values.positiveInteger("heads")
        guard width % heads == 0 else { throw values.error("'heads' (\(heads)) must divide 'width' (\(width))") }
        return try BERT.Configuration(
            layers: values.positiveInteger("layers"), width: width, heads: heads, ffn: values.positiveInteger("ffn"),
            vocabulary: values.positiveInteger("vocab", default: 30522), context: values.positiveInteger("context", default: 512),
            pooling: pooling)
    }
}
