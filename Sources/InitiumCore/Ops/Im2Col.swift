/// The sizes of one 2-D convolution `[n, c, h, w] ⊛ [m, c/groups, kh, kw] → [n, m, oh, ow]`,
/// validated, with the im2col kernels that turn it into matrix products.
///
/// im2col ("unfold") writes, for one image and one group of input channels, a matrix with one row
/// per (channel, kernel row, kernel column) tap — `patchSize = (c/groups)·kh·kw` rows — and one
/// column per output pixel; out-of-image taps read as zero padding. A convolution is then the
/// GEMM `W_g [m/groups, patchSize] × columns [patchSize, pixels]`, and col2im ("fold") is its
/// adjoint, adding each column entry back to the input pixel it was read from. Chellapilla et al.,
/// "High Performance Convolutional Neural Networks for Document Processing", 2006.
struct ConvolutionShape: Sendable {
    let batch, inChannels, height, width: Int
    let outChannels, groups: Int
    let window: Window2d
    let outHeight, outWidth: Int

    /// Validates input `[n, c, h, w]`, weight `[m, c/groups, kh, kw]` and bias `[m]` against each
    /// other and the window (kernel size from the weight); the errors name every shape involved.
    init(
        input: [Int], weight: [Int], bias: [Int]?, stride: Size2d, padding: Size2d, dilation: Size2d, groups: Int,
        operation: String
    ) throws {
        guard input.count == 4 else {
            throw InitiumError.invalidShape(
                operation: operation, shape: input, reason: "expected an input [batch, channels, height, width]")
        }
        guard weight.count == 4, groups >= 1, weight[0] % groups == 0 else {
            throw InitiumError.invalidShape(
                operation: operation, shape: weight,
                reason: "expected a weight [out, in/groups, kh, kw] with out divisible by groups \(groups)")
        }
        guard input[1] == weight[1] * groups else {
            throw InitiumError.invalidShape(
                operation: operation, shape: input,
                reason: "expected \(weight[1] * groups) input channels (weight \(weight), groups \(groups)), got \(input[1])")
        }
        let window = try Window2d(kernel: Size2d(weight[2], weight[3]), stride: stride, padding: padding, dilation: dilation)
        if let bias, bias != [weight[0]] {
            throw InitiumError.shapeMismatch(operation: "\(operation) bias", lhs: [weight[0]], rhs: bias)
        }
        let out = try window.outputSize(for: Size2d(input[2], input[3]), operation: operation)
        (batch, inChannels, height, width) = (input[0], input[1], input[2], input[3])
        (outChannels, self.groups, self.window) = (weight[0], groups, window)
        (outHeight, outWidth) = (out.height, out.width)
    }

    /// A shape from sizes already known to be consistent (e.g. a convolution's adjoint).
    init(
        batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int, groups: Int, window: Window2d,
        outHeight: Int, outWidth: Int
    ) {
        (self.batch, self.inChannels, self.height, self.width) = (batch, inChannels, height, width)
        (self.outChannels, self.groups, self.window) = (outChannels, groups, window)
        (self.outHeight, self.outWidth) = (outHeight, outWidth)
    }

    var groupInChannels: Int { inChannels / groups }
    var groupOutChannels: Int { outChannels / groups }
    /// Rows of a column matrix: taps of one group's receptive field.
    var patchSize: Int { groupInChannels * window.kernel.height * window.kernel.width }
    var inputPixels: Int { height * width }
    var outputPixels: Int { outHeight * outWidth }
    var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }

    /// Output positions `o` in `0..<count` whose input coordinate `o·stride + offset` is inside
    /// `0..<size`: a contiguous range, so the kernels copy runs instead of testing each tap.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, size: Int, count: Int) -> Range<Int> {
        let low = offset >= 0 ? 0 : min(count, (-offset + stride - 1) / stride)
        let high = offset > size - 1 ? 0 : min(count, (size - 1 - offset) / stride + 1)
        return low..<max(low, high)
    }

    /// One tap of the receptive field: input channel `channel` (within the group), read at
    /// offset (`yOffset`, `xOffset`) from each output pixel's stride-scaled position; `rows` and
    /// `columns` are the output rows and columns whose read falls inside the image, and `index` is
    /// the tap's row in the column matrix.
    struct Tap {
        let channel, index, yOffset, xOffset: Int
        let rows, columns: Range<Int>
    }

    /// Calls `body` for every tap of one group's receptive field, in column-matrix row order.
    @inline(__always)
    func forEachTap(_ body: (Tap) -> Void) {
        let (kh, kw) = (window.kernel.height, window.kernel.width)
        for c in 0..<groupInChannels {
            for ki in 0..<kh {
                let yOffset = ki * window.dilation.height - window.padding.height
                let rows = Self.validRange(offset: yOffset, stride: window.stride.height, size: height, count: outHeight)
                for kj in 0..<kw {
                    let xOffset = kj * window.dilation.width - window.padding.width
                    let columns = Self.validRange(offset: xOffset, stride: window.stride.width, size: width, count: outWidth)
                    body(Tap(channel: c, index: (c * kh + ki) * kw + kj, yOffset: yOffset, xOffset: xOffset, rows: rows, columns: columns))
                }
            }
        }
    }

    /// im2col for `groupInChannels` channels starting at `image`: writes `patchSize` rows of
    /// `outputPixels` values, row *r* starting at `columns + r·rowStride`.
    func unfold(_ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>, rowStride: Int) {
        let (sh, sw) = (window.stride.height, window.stride.width)
        let (ow, oh) = (outWidth, outHeight)
        // With stride 1 and output rows as wide as input rows, a tap's column row is the input
        // plane shifted by a constant offset: one run copy plus zeros at the edges.
        let isRowContiguous = sh == 1 && sw == 1 && ow == width
        forEachTap { tap in
            let plane = image + tap.channel * inputPixels
            let (rows, cols) = (tap.rows, tap.columns)
            let row = columns + tap.index * rowStride
            if isRowContiguous {
                Self.unfoldShifted(
                    plane, into: row, width: ow, rows: rows, columns: cols, outputCount: oh * ow,
                    shift: tap.yOffset * width + tap.xOffset)
                return
            }
            row.update(repeating: 0, count: rows.lowerBound * ow)
            (row + rows.upperBound * ow).update(repeating: 0, count: (oh - rows.upperBound) * ow)
            for oy in rows {
                let src = plane + (oy * sh + tap.yOffset) * width + tap.xOffset
                let dst = row + oy * ow
                dst.update(repeating: 0, count: cols.lowerBound)
                (dst + cols.upperBound).update(repeating: 0, count: ow - cols.upperBound)
                if sw == 1 {
                    VectorLoops.copy(src + cols.lowerBound, dst + cols.lowerBound, cols.count)
                } else {
                    for ox in cols { dst[ox] = src[ox * sw] }
                }
            }
        }
    }

    /// One column row of a stride-1 convolution whose output rows are as wide as the input's:
    /// out[q] = plane[q + shift] for q = oy·width + ox with oy in `rows`, ox in `columns`, else 0.
    /// The in-range q form one run (rows are contiguous in both); the run's entries that wrapped
    /// around a row edge are then zeroed.
    @inline(__always)
    static func unfoldShifted(
        _ plane: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, width: Int, rows: Range<Int>,
        columns: Range<Int>, outputCount: Int, shift: Int
    ) {
        guard !rows.isEmpty, !columns.isEmpty else {
            out.update(repeating: 0, count: outputCount)
            return
        }
        let first = rows.lowerBound * width + columns.lowerBound
        let end = (rows.upperBound - 1) * width + columns.upperBound
        out.update(repeating: 0, count: first)
        VectorLoops.copy(plane + first + shift, out + first, end - first)
        (out + end).update(repeating: 0, count: outputCount - end)
        let gap = width - columns.count
        guard gap > 0 else { return }
        for oy in rows.dropLast() {
            let edge = out + oy * width + columns.upperBound
            for j in 0..<gap { edge[j] = 0 }
        }
    }

    /// col2im, the adjoint of ``unfold(_:into:rowStride:)``: adds every in-image entry of the
    /// column matrix to the input pixel it was read from (padding taps are dropped).
    func fold(_ columns: UnsafePointer<Float>, rowStride: Int, into image: UnsafeMutablePointer<Float>) {
        let (sh, sw) = (window.stride.height, window.stride.width)
        let ow = outWidth
        forEachTap { tap in
            let plane = image + tap.channel * inputPixels
            let cols = tap.columns
            let row = columns + tap.index * rowStride
            for oy in tap.rows {
                let dst = plane + (oy * sh + tap.yOffset) * width + tap.xOffset
                let src = row + oy * ow
                if sw == 1 {
                    VectorLoops.accumulate(src + cols.lowerBound, dst + cols.lowerBound, cols.count)
                } else {
                    for ox in cols { dst[ox * sw] += src[ox] }
                }
            }
        }
    }
}
