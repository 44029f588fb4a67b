import InitiumCore
import InitiumNN

/// LoRA adapter initialization (Hu et al., ICLR 2022; Hayou, Ghosh & Yu, "The Impact of
/// Initialization on LoRA Finetuning Dynamics", NeurIPS 2024): the update ΔW = B·A with
/// A `[r, in]` and B `[out, r]` starts at zero by drawing one factor at random and zeroing the
/// other. Hayou et al. show Init[A] (A random, B = 0, PEFT's default) allows larger stable
/// learning rates and better feature learning than Init[B], so the defaults are
/// `a=he-uniform`, `b=zeros`; both are nested schemes.
///
/// Over a model, the recipe touches only adapter factors, found by path: parameters whose path
/// has a component `lora_a`/`lora_A` get `a`, `lora_b`/`lora_B` get `b` (PEFT's names); the
/// pretrained weights stay as they are. On a single tensor it draws the A factor.
struct LoRAInitializer: TensorInitializer {
    let a: Scheme
    let b: Scheme

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try a.sample(layout, key: key, context: context)
    }
}

/// LoRA over a model: each adapter factor by its path.
struct LoRARecipe: ModelInitializer {
    let rule: LoRAInitializer

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        var log = InitializationLog()
        for (path, parameter) in model.namedParameters {
            let components = Set(path.split(separator: ".").map { $0.lowercased() })
            let factor: Scheme
            if components.contains("lora_a") {
                factor = rule.a
            } else if components.contains("lora_b") {
                factor = rule.b
            } else {
                continue
            }
            guard parameter.shape.count == 2 else {
                throw InitiumError.invalidShape(operation: "lora \(path)", shape: parameter.shape, reason: "LoRA factors are matrices")
            }
            let layout = try WeightLayout(parameter.shape)
            parameter.value = try factor.sample(layout, key: context.key.fold(path), context: context)
            log.entries.append(.init(path: path, action: "lora \(factor)", values: ["fan_in": Double(layout.fanIn), "fan_out": Double(layout.fanOut)]))
        }
        guard !log.entries.isEmpty else {
            throw InitiumError.invalidArgument("lora found no adapter factors: it initializes parameters named lora_a/lora_b (lora_A/lora_B)")
        }
        return log
    }
}

extension SchemeCatalog {
    static let loraEntry = Entry(
        name: "lora",
        parameters: [ParameterInfo(name: "a", defaultValue: "he-uniform", summary: "scheme for A [r, in] (random)"),
                     ParameterInfo(name: "b", defaultValue: "zeros", summary: "scheme for B [out, r]")],
        summary: "ΔW = B·A with A random and B = 0 (Init[A]); on a model, the lora_a/lora_b parameters",
        reference: "Hu et al., ICLR 2022; Hayou, Ghosh & Yu, NeurIPS 2024", level: .tensorAndModel
    ) { spec in
        func factor(_ key: String, _ fallback: String) throws -> Scheme {
            let scheme = try Scheme(spec.value(key) ?? fallback)
            guard !scheme.isModelLevel, !scheme.hasModelRecipe else {
                throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'\(key)' must be a tensor scheme, got \(scheme)")
            }
            return scheme
        }
        let rule = LoRAInitializer(a: try factor("a", "he-uniform"), b: try factor("b", "zeros"))
        return .both(rule, LoRARecipe(rule: rule))
    }
}
