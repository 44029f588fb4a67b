/// The GEMMs of a convolution, over blocks of images.
///
/// A block's images sit side by side in one column matrix `[patch, images·pixels]`
/// (``ConvolutionShape/unfold(_:into:rowStride:)``), so one long GEMM per group replaces many
/// short ones; the product is scattered to NCHW and the output gradient gathered from it (a block
/// of one image skips both). Two ways to use several threads, chosen by the layer's shape alone:
///
/// - small weights (out/groups × patch ≤ 2¹⁶, e.g. every layer of ResNet-20 and LeNet-5): blocks
///   of about 2 MB of columns are spread over workers, each running im2col, a single-threaded GEMM
///   and the scatter on its own blocks (``Parallel/withWorkers(_:)``). Such skinny GEMMs barely
///   speed up with BLAS's own threads (BENCHMARKS.md has the measured effect), and whole blocks per thread keep
///   each block's columns in one core's cache. The weight gradient is summed in a fixed number of
///   partial sums (blocks b, b + 8, … in order, then the partials in order), so the result does
///   not depend on the thread count.
/// - large weights: blocks of about 4 MB processed in order, im2col, scatter and gather split
///   across threads by image and each GEMM using BLAS's threads.
extension ConvolutionShape {
    /// Floats of column matrix per block when each GEMM uses BLAS's threads.
    static let columnBlockFloats = 1 << 20
    /// Floats of column matrix per block when blocks are spread over workers.
    static let workerBlockFloats = 1 << 19
    /// The largest group weight (out/groups × patch) whose blocks are spread over workers.
    static let workerWeightLimit = 1 << 16
    /// The number of weight-gradient partial sums when blocks are spread over workers.
    static let weightGradientPartials = 8

    /// Whether blocks are spread over workers with single-threaded GEMMs (see above).
    var splitsBlocksAcrossWorkers: Bool { groupOutChannels * patchSize <= Self.workerWeightLimit }

    /// Images per block.
    var imagesPerBlock: Int {
        let floats = splitsBlocksAcrossWorkers ? Self.workerBlockFloats : Self.columnBlockFloats
        return max(1, min(batch, floats / max(1, patchSize * outputPixels)))
    }

    /// The blocks' lanes: block b belongs to lane b mod lanes, a lane's blocks run in order on one
    /// thread, and each lane has its own weight-gradient partial sum.
    var laneCount: Int {
        splitsBlocksAcrossWorkers ? min(Self.weightGradientPartials, (batch + imagesPerBlock - 1) / imagesPerBlock) : 1
    }

    /// Images per worker below which splitting im2col over threads costs more than it saves.
    var minimumImagesPerThread: Int { max(1, (1 << 14) / max(1, patchSize * outputPixels)) }

    /// Scratch for one block: its column matrix and a `[out/groups, images·pixels]` matrix.
    private struct BlockScratch {
        let columns: UnsafeMutablePointer<Float>
        let matrix: UnsafeMutablePointer<Float>
    }

    /// Calls `body(lane, isFirstOfLane, start, count, scratch)` for every block of images
    /// `start..<start+count`, lanes spread over workers or run in order (see above).
    private func forEachBlock(_ body: (Int, Bool, Int, Int, BlockScratch) -> Void) {
        let block = imagesPerBlock, lanes = laneCount
        let blocks = (batch + block - 1) / block
        func run(_ lane: Int, _ scratch: BlockScratch) {
            for (i, b) in stride(from: lane, to: blocks, by: lanes).enumerated() {
                body(lane, i == 0, b * block, min(block, batch - b * block), scratch)
            }
        }
        func withScratch(_ work: (BlockScratch) -> Void) {
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: patchSize * outputPixels * block)
            let matrix = UnsafeMutablePointer<Float>.allocate(capacity: groupOutChannels * outputPixels * block)
            defer {
                columns.deallocate()
                matrix.deallocate()
            }
            work(BlockScratch(columns: columns, matrix: matrix))
        }
        guard splitsBlocksAcrossWorkers else {
            withScratch { run(0, $0) }
            return
        }
        Parallel.withWorkers { worker, workers in
            withScratch { scratch in
                for lane in stride(from: worker, to: lanes, by: workers) { run(lane, scratch) }
            }
        }
    }

    /// Runs `body(i)` for images `0..<count` of a block, split across threads when there are any.
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

    /// One pass over the batch sharing each block's im2col of `x` between two products:
    /// - with `weight` and `output`: y = conv(x, W) + b;
    /// - with `outputGradient` and `weightGradient`: ∂W_g = Σ_n G_g[n] · columns(x[n])ᵀ for an
    ///   output gradient G, summed per lane and then over lanes in order.
    /// The input gradient of a stride-1 convolution uses both at once on its ``adjoint``: its
    /// columns of G give ∂x by the forward product and the flipped ∂W against x.
    func pass(
        input x: UnsafePointer<Float>, weight w: UnsafePointer<Float>? = nil, bias b: UnsafePointer<Float>? = nil,
        output y: UnsafeMutablePointer<Float>? = nil, outputGradient gy: UnsafePointer<Float>? = nil,
        weightGradient dw: UnsafeMutablePointer<Float>? = nil
    ) {
        let (k, p, mg) = (patchSize, outputPixels, groupOutChannels)
        let (lanes, size) = (laneCount, outChannels * patchSize)
        let partials = dw == nil || lanes == 1 ? dw : UnsafeMutablePointer<Float>.allocate(capacity: lanes * size)
        defer { if let partials, partials != dw { partials.deallocate() } }
        forEachBlock { lane, isFirst, start, count, scratch in
            for g in 0..<groups {
                unfoldBlock(x, start: start, count: count, group: g, into: scratch.columns)
                if let w, let y {
                    blockProduct(w + g * mg * k, bias: b.map { $0 + g * mg }, start: start, count: count, group: g, scratch: scratch, into: y)
                }
                if let gy, let partials {
                    GEMM.multiply(
                        m: mg, n: k, k: count * p, blockGradient(gy, start: start, count: count, group: g, scratch: scratch.matrix),
                        transposeA: false, scratch.columns, transposeB: true, into: partials + lane * size + g * mg * k,
                        beta: isFirst ? 0 : 1)
                }
            }
        }
        guard let dw, let partials, partials != dw else { return }
        dw.update(from: partials, count: size)
        for lane in 1..<lanes { VectorLoops.accumulate(partials + lane * size, dw, size) }
    }

    /// Group g of y for a block whose columns are in `scratch`: W_g · columns (+ b), scattered to NCHW
    /// (or written in place for a block of one image).
    private func blockProduct(
        _ weights: UnsafePointer<Float>, bias b: UnsafePointer<Float>?, start: Int, count: Int, group g: Int,
        scratch: BlockScratch, into y: UnsafeMutablePointer<Float>
    ) {
        let (k, p, mg) = (patchSize, outputPixels, groupOutChannels)
        if count == 1 {
            let dst = y + (start * outChannels + g * mg) * p
            if let b {
                for m in 0..<mg { (dst + m * p).update(repeating: b[m], count: p) }
            }
            GEMM.multiply(
                m: mg, n: p, k: k, weights, transposeA: false, scratch.columns, transposeB: false, into: dst, beta: b == nil ? 0 : 1)
            return
        }
        GEMM.multiply(m: mg, n: count * p, k: k, weights, transposeA: false, scratch.columns, transposeB: false, into: scratch.matrix)
        forEachImage(count) { i in
            for m in 0..<mg {
                let (src, dst) = (scratch.matrix + m * count * p + i * p, y + ((start + i) * outChannels + g * mg + m) * p)
                VectorLoops.affine(src, dst, p, scale: 1, shift: b?[m] ?? 0)
            }
        }
    }

    /// Adds ∂x = col2im(W_gᵀ · G_g) into `dx` (the general input gradient, for any stride).
    func foldedInputGradient(outputGradient gy: UnsafePointer<Float>, weight w: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let (k, p, mg, cg) = (patchSize, outputPixels, groupOutChannels, groupInChannels)
        forEachBlock { _, _, start, count, scratch in
            for g in 0..<groups {
                GEMM.multiply(
                    m: k, n: count * p, k: mg, w + g * mg * k, transposeA: true,
                    blockGradient(gy, start: start, count: count, group: g, scratch: scratch.matrix), transposeB: false,
                    into: scratch.columns)
                forEachImage(count) { i in
                    fold(scratch.columns + i * p, rowStride: count * p, into: dx + ((start + i) * inChannels + g * cg) * inputPixels)
                }
            }
        }
    }
}
