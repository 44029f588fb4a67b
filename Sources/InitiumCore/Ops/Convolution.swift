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
    /// Forward: per block of images, im2col then one GEMM per group, `W_g · columns`. Pullbacks:
    /// ∂W_g = G_g · columnsᵀ, ∂columns = W_gᵀ · G_g folded back by col2im, ∂b = Σ_{n,i,j} G.
    public static func conv2d(
        _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1, padding: Size2d = 0,
        dilation: Size2d = 1, groups: Int = 1
    ) throws -> Tensor {
        let shape = try ConvolutionShape(
            input: input.shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
            dilation: dilation, groups: groups, operation: "conv2d")
        let out = Tensor(uninitializedShape: shape.outputShape)
        shape.forward(input: input.storage.base, weight: weight.storage.base, bias: bias?.storage.base, into: out.storage.base)
        let (x, w) = (input.detached(), weight.detached())
        let (needInput, needWeight) = (input.node != nil, weight.node != nil)
        return out.recording(inputs: bias.map { [input, weight, $0] } ?? [input, weight]) { g in
            var gx = needInput ? Tensor.zeros(x.shape) : nil
            var gw = needWeight ? Tensor(uninitializedShape: w.shape) : nil
            var gb = bias == nil ? nil : Tensor(uninitializedShape: [shape.outChannels])
            shape.backward(
                outputGradient: g.storage.base, input: x.storage.base, weight: w.storage.base,
                inputGradient: gx?.storage.base, weightGradient: gw?.storage.base, biasGradient: gb?.storage.base)
            gx?.node = nil
            gw?.node = nil
            gb?.node = nil
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }
}

extension ConvolutionShape {
    /// Floats of column matrix per GEMM: blocks of images share one GEMM (long rows make BLAS
    /// efficient), capped so the column matrix stays within the last-level cache.
    static let columnBlockFloats = 1 << 20

    /// Images per GEMM block.
    var imagesPerBlock: Int { max(1, min(batch, Self.columnBlockFloats / max(1, patchSize * outputPixels))) }

    /// Images per worker below which splitting im2col over threads costs more than it saves.
    var minimumImagesPerThread: Int { max(1, (1 << 14) / max(1, patchSize * outputPixels)) }

    /// y = conv(x, W) + b for the whole batch (see ``Tensor/conv2d(_:weight:bias:stride:padding:dilation:groups:)``).
    func forward(
        input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias b: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>
    ) {
        let (k, p, mg, cg) = (patchSize, outputPixels, groupOutChannels, groupInChannels)
        let block = imagesPerBlock
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: k * block * p)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: block > 1 ? mg * block * p : 1)
        defer {
            columns.deallocate()
            product.deallocate()
        }
        for start in stride(from: 0, to: batch, by: block) {
            let count = min(block, batch - start)
            let rowStride = count * p
            for g in 0..<groups {
                Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
                    for i in images {
                        unfold(x + ((start + i) * inChannels + g * cg) * inputPixels, into: columns + i * p, rowStride: rowStride)
                    }
                }
                if count == 1 {
                    let dst = y + (start * outChannels + g * mg) * p
                    GEMM.multiply(m: mg, n: p, k: k, w + g * mg * k, transposeA: false, columns, transposeB: false, into: dst)
                    if let b {
                        for m in 0..<mg {
                            let (row, value) = (dst + m * p, b[g * mg + m])
                            for j in 0..<p { row[j] += value }
                        }
                    }
                    continue
                }
                GEMM.multiply(
                    m: mg, n: rowStride, k: k, w + g * mg * k, transposeA: false, columns, transposeB: false, into: product)
                Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
                    for i in images {
                        for m in 0..<mg {
                            let dst = y + ((start + i) * outChannels + g * mg + m) * p
                            let src = product + m * rowStride + i * p
                            if let b {
                                let value = b[g * mg + m]
                                for j in 0..<p { dst[j] = src[j] + value }
                            } else {
                                dst.update(from: src, count: p)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The pullback: writes ∂W and ∂b (overwriting) and adds ∂x into `inputGradient`, which the
    /// caller zeroes. Any of the three may be `nil` when not needed.
    func backward(
        outputGradient gy: UnsafePointer<Float>, input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>?, weightGradient dw: UnsafeMutablePointer<Float>?,
        biasGradient db: UnsafeMutablePointer<Float>?
    ) {
        let (k, p, mg, cg) = (patchSize, outputPixels, groupOutChannels, groupInChannels)
        if let db {
            for m in 0..<outChannels {
                var total: Double = 0
                for n in 0..<batch {
                    let row = gy + (n * outChannels + m) * p
                    var s: Float = 0
                    for j in 0..<p { s += row[j] }
                    total += Double(s)
                }
                db[m] = Float(total)
            }
        }
        guard dx != nil || dw != nil else { return }
        let block = imagesPerBlock
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: k * block * p)
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: block > 1 ? mg * block * p : 1)
        defer {
            columns.deallocate()
            gathered.deallocate()
        }
        for start in stride(from: 0, to: batch, by: block) {
            let count = min(block, batch - start)
            let rowStride = count * p
            for g in 0..<groups {
                let gradient: UnsafePointer<Float>
                if count == 1 {
                    gradient = gy + (start * outChannels + g * mg) * p
                } else {
                    Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
                        for i in images {
                            for m in 0..<mg {
                                (gathered + m * rowStride + i * p).update(
                                    from: gy + ((start + i) * outChannels + g * mg + m) * p, count: p)
                            }
                        }
                    }
                    gradient = UnsafePointer(gathered)
                }
                if let dw {
                    Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
                        for i in images {
                            unfold(x + ((start + i) * inChannels + g * cg) * inputPixels, into: columns + i * p, rowStride: rowStride)
                        }
                    }
                    GEMM.multiply(
                        m: mg, n: k, k: rowStride, gradient, transposeA: false, columns, transposeB: true,
                        into: dw + g * mg * k, beta: start == 0 ? 0 : 1)
                }
                if let dx {
                    GEMM.multiply(
                        m: k, n: rowStride, k: mg, w + g * mg * k, transposeA: true, gradient, transposeB: false, into: columns)
                    Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
                        for i in images {
                            fold(columns + i * p, rowStride: rowStride, into: dx + ((start + i) * inChannels + g * cg) * inputPixels)
                        }
                    }
                }
            }
        }
    }
}
