/// The GEMMs of a convolution, over blocks of images.
///
/// A block's images sit side by side in one column matrix `[patch, images·pixels]`
/// (``ConvolutionShape/unfold(_:into:rowStride:)``), so one long GEMM per group replaces many
/// short ones; the product is scattered to NCHW and the output gradient gathered from it. Blocks
/// hold about 4 MB of columns: long enough rows for BLAS, small enough to stay in the last-level
/// cache between im2col and the GEMM. (Measured on the layers of ResNet-20 and LeNet-5: one GEMM
/// per image, straight into NCHW, was not faster.) A block of one image — large images — skips
/// the scatter and gather. im2col, col2im, scatter and gather are split across
/// threads by image; the GEMMs between them use BLAS's threads.
extension ConvolutionShape {
    /// Floats of column matrix per block.
    static let columnBlockFloats = 1 << 20

    /// Images per block: as many column matrices as fit in ``columnBlockFloats``.
    var imagesPerBlock: Int { max(1, min(batch, Self.columnBlockFloats / max(1, patchSize * outputPixels))) }

    /// Images per worker below which splitting im2col over threads costs more than it saves.
    var minimumImagesPerThread: Int { max(1, (1 << 14) / max(1, patchSize * outputPixels)) }

    /// Calls `body(start, count)` for each block of images with a column buffer of one block.
    private func forEachBlock(_ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        let block = imagesPerBlock
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: patchSize * outputPixels * block)
        defer { columns.deallocate() }
        for start in stride(from: 0, to: batch, by: block) { body(start, min(block, batch - start), columns) }
    }

    /// Runs `body(i)` for images `0..<count` of a block, split across threads.
    private func forEachImage(_ count: Int, _ body: (Int) -> Void) {
        Parallel.forEachChunk(count: count, minimumPerThread: minimumImagesPerThread) { images in
            for i in images { body(i) }
        }
    }

    /// im2col of group `g` of images `start..<start+count` into `columns`.
    private func unfoldBlock(_ x: UnsafePointer<Float>, start: Int, count: Int, group g: Int, into columns: UnsafeMutablePointer<Float>) {
        forEachImage(count) { i in
            unfold(
                x + ((start + i) * inChannels + g * groupInChannels) * inputPixels, into: columns + i * outputPixels,
                rowStride: count * outputPixels)
        }
    }

    /// Group `g` of the output gradient of a block as `[out/groups, count·pixels]`, images side by
    /// side: gathered into `scratch`, or read in place for a block of one image.
    private func blockGradient(
        _ gy: UnsafePointer<Float>, start: Int, count: Int, group g: Int, scratch: UnsafeMutablePointer<Float>
    ) -> UnsafePointer<Float> {
        let (p, mg) = (outputPixels, groupOutChannels)
        if count == 1 { return gy + (start * outChannels + g * mg) * p }
        forEachImage(count) { i in
            for m in 0..<mg {
                VectorLoops.copy(gy + ((start + i) * outChannels + g * mg + m) * p, scratch + m * count * p + i * p, p)
            }
        }
        return UnsafePointer(scratch)
    }

    /// y = conv(x, W) + b for the whole batch.
    func forward(
        input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias b: UnsafePointer<Float>?,
        into y: UnsafeMutablePointer<Float>
    ) {
        let (k, p, mg) = (patchSize, outputPixels, groupOutChannels)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: mg * p * imagesPerBlock)
        defer { product.deallocate() }
        forEachBlock { start, count, columns in
            for g in 0..<groups {
                unfoldBlock(x, start: start, count: count, group: g, into: columns)
                let weights = w + g * mg * k
                if count == 1 {
                    let dst = y + (start * outChannels + g * mg) * p
                    if let b {
                        for m in 0..<mg { (dst + m * p).update(repeating: b[g * mg + m], count: p) }
                    }
                    GEMM.multiply(
                        m: mg, n: p, k: k, weights, transposeA: false, columns, transposeB: false, into: dst, beta: b == nil ? 0 : 1)
                    continue
                }
                GEMM.multiply(m: mg, n: count * p, k: k, weights, transposeA: false, columns, transposeB: false, into: product)
                forEachImage(count) { i in
                    for m in 0..<mg {
                        let (src, dst) = (product + m * count * p + i * p, y + ((start + i) * outChannels + g * mg + m) * p)
                        VectorLoops.affine(src, dst, p, scale: 1, shift: b?[g * mg + m] ?? 0)
                    }
                }
            }
        }
    }

    /// ∂W_g = Σ_n G_g[n] · columns[n]ᵀ.
    func weightGradient(outputGradient gy: UnsafePointer<Float>, input x: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let (k, p, mg) = (patchSize, outputPixels, groupOutChannels)
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: mg * p * imagesPerBlock)
        defer { gathered.deallocate() }
        forEachBlock { start, count, columns in
            for g in 0..<groups {
                unfoldBlock(x, start: start, count: count, group: g, into: columns)
                GEMM.multiply(
                    m: mg, n: k, k: count * p, blockGradient(gy, start: start, count: count, group: g, scratch: gathered),
                    transposeA: false, columns, transposeB: true, into: dw + g * mg * k, beta: start == 0 ? 0 : 1)
            }
        }
    }

    /// Adds ∂x = col2im(W_gᵀ · G_g) into `dx` (the general input gradient, for any stride).
    func foldedInputGradient(outputGradient gy: UnsafePointer<Float>, weight w: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (k, p, mg, cg) = (patchSize, outputPixels, groupOutChannels, groupInChannels)
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: mg * p * imagesPerBlock)
        defer { gathered.deallocate() }
        forEachBlock { start, count, columns in
            for g in 0..<groups {
                GEMM.multiply(
                    m: k, n: count * p, k: mg, w + g * mg * k, transposeA: true,
                    blockGradient(gy, start: start, count: count, group: g, scratch: gathered), transposeB: false, into: columns)
                forEachImage(count) { i in
                    fold(columns + i * p, rowStride: count * p, into: dx + ((start + i) * inChannels + g * cg) * inputPixels)
                }
            }
        }
    }
}
