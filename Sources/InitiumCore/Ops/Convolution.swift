/// 2-D convolution through im2col and GEMM, with its pullback.
extension Tensor {
    /// The 2-D convolution of PyTorch's `Conv2d` (a cross-correlation):
    /// y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, g·C/G + c, i·s_h − p_h + u·d_h, j·s_w − p_w + v·d_w],
    /// where g = ⌊o / (O/G)⌋ is the group of output channel o and out-of-image taps read zero.
    ///
    /// - Parameters:
    ///   - input: `[n, c, h, w]`.
    ///   - weight: `[out, c/groups, kh, kw]` (PyTorch's layout).
    ///   - bias: `[out]`, or `nil`.
    ///   - groups: channel groups; `groups == c == out` is a depthwise convolution.
    /// - Throws: ``InitiumError/invalidShape(operation:shape:reason:)`` when channels, groups or
    ///   the kernel do not fit the input (the message names the shapes).
    ///
    /// Forward: im2col then GEMMs `W_g · columns` (see ``ConvolutionShape``). Pullbacks:
    /// ∂W_g = Σ_n G_g · columnsᵀ; ∂b = Σ_{n,i,j} G; ∂x is, for stride 1, the convolution of G with
    /// the kernel flipped in space and transposed in channels (padding d(k − 1) − p), else
    /// col2im of W_gᵀ · G_g.
    public static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1, padding: Size2d = 0,
        dilation: Size2d = 1, groups: Int = 1
    ) throws -> Tensor {
        let shape = try ConvolutionShape(
            input: input.shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
            dilation: dilation, groups: groups, operation: "conv2d")
        let out = Tensor(uninitializedShape: shape.outputShape)
        shape.pass(input: input.storage.base, weight: weight.storage.base, bias: bias?.storage.base, output: out.storage.base)
        let (x, w) = (input.detached(), weight.detached())
        let (needInput, needWeight) = (input.node != nil, weight.node != nil)
        return out.recording(inputs: bias.map { [input, weight, $0] } ?? [input, weight]) { g in
            let gx = needInput ? Tensor(uninitializedShape: x.shape) : nil
            let gw = needWeight ? Tensor(uninitializedShape: w.shape) : nil
            shape.gradients(
                outputGradient: g.storage.base, input: x.storage.base, weight: w.storage.base,
                inputGradient: gx?.storage.base, weightGradient: gw?.storage.base)
            guard bias != nil else { return [gx, gw] }
            let gb = Tensor(uninitializedShape: [shape.outChannels])
            shape.biasGradient(outputGradient: g.storage.base, into: gb.storage.base)
            return [gx, gw, gb]
        }
    }
}

extension ConvolutionShape {
    /// ∂b[o] = Σ_{n, i, j} G[n, o, i, j].
    func biasGradient(outputGradient gy: UnsafePointer<Float>, into db: UnsafeMutablePointer<Float>) {
        for m in 0..<outChannels {
            var total: Double = 0
            for n in 0..<batch { total += Double(VectorLoops.sum(gy + (n * outChannels + m) * outputPixels, outputPixels)) }
            db[m] = Float(total)
        }
    }

    /// The stride-1 convolution whose forward pass is this one's input gradient: input G
    /// `[n, out, oh, ow]`, output `[n, in, h, w]`, padding d(k − 1) − p. It replaces col2im (and
    /// the GEMM's write of a full column matrix) when its own column matrix is no larger, as for
    /// "same" convolutions; `nil` for strides above 1, padding beyond d(k − 1), or when the
    /// gradient would need more columns than col2im (e.g. LeNet's unpadded 5×5 convolution).
    var adjoint: ConvolutionShape? {
        guard window.stride == 1, outChannels * inputPixels <= inChannels * outputPixels else { return nil }
        let span = window.span
        let padding = Size2d(span.height - 1 - window.padding.height, span.width - 1 - window.padding.width)
        guard padding.height >= 0, padding.width >= 0,
            let adjointWindow = try? Window2d(kernel: window.kernel, padding: padding, dilation: window.dilation)
        else { return nil }
        return ConvolutionShape(
            batch: batch, inChannels: outChannels, height: outHeight, width: outWidth, outChannels: inChannels,
            groups: groups, window: adjointWindow, outHeight: height, outWidth: width)
    }

    /// Writes ∂x and ∂W (each when asked for) for output gradient `gy`. For a stride-1
    /// convolution both come from one pass of the ``adjoint`` over im2col of G: ∂x is its forward
    /// product with the flipped kernel W', and its weight gradient against x is ∂W', from which
    /// ∂W is flipped back. Otherwise ∂x is col2im of W_gᵀ·G_g and ∂W comes from im2col of x.
    func gradients(
        outputGradient gy: UnsafePointer<Float>, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>?, weightGradient dw: UnsafeMutablePointer<Float>?
    ) {
        guard let dx else {
            if let dw { pass(input: x, outputGradient: gy, weightGradient: dw) }
            return
        }
        guard let adjoint else {
            dx.update(repeating: 0, count: batch * inChannels * inputPixels)
            foldedInputGradient(outputGradient: gy, weight: w, into: dx)
            if let dw { pass(input: x, outputGradient: gy, weightGradient: dw) }
            return
        }
        let flipped = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * patchSize)
        defer { flipped.deallocate() }
        flipKernel(w, into: flipped)
        guard let dw else { return adjoint.pass(input: gy, weight: flipped, output: dx) }
        let flippedGradient = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * patchSize)
        defer { flippedGradient.deallocate() }
        adjoint.pass(input: gy, weight: flipped, output: dx, outputGradient: x, weightGradient: flippedGradient)
        adjoint.flipKernel(flippedGradient, into: dw)
    }

    /// The ``adjoint``'s kernel: W'[g·C/G + c, m, u, v] = W[g·O/G + m, c, kh − 1 − u, kw − 1 − v]
    /// (the adjoint's own flip maps W' back to W, and its weight gradient back to ∂W).
    func flipKernel(_ w: UnsafePointer<Float>, into flipped: UnsafeMutablePointer<Float>) {
        let (taps, mg, cg) = (window.kernel.height * window.kernel.width, groupOutChannels, groupInChannels)
        for g in 0..<groups {
            for c in 0..<cg {
                for m in 0..<mg {
                    let src = w + ((g * mg + m) * cg + c) * taps
                    let dst = flipped + ((g * cg + c) * mg + m) * taps
                    for u in 0..<taps { dst[u] = src[taps - 1 - u] }
                }
            }
        }
    }
}
