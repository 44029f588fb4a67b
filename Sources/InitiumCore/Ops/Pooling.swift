/// 2-D max and average pooling and global average pooling over `[n, c, h, w]`, with pullbacks.
/// Each image plane is independent, so planes are split across threads; results do not depend on
/// the thread count.
extension Tensor {
    /// Max pooling, PyTorch's `MaxPool2d` (`ceil_mode=False`): y[n, c, i, j] = max over the window
    /// taps inside the image (padding acts as −∞). `stride` defaults to the kernel size.
    /// The gradient goes to the first maximal tap in row-major window order.
    public func maxPool2d(kernel: Size2d, stride: Size2d? = nil, padding: Size2d = 0, dilation: Size2d = 1) throws -> Tensor {
        let pool = try PoolingShape(
            input: shape, window: Window2d(kernel: kernel, stride: stride ?? kernel, padding: padding, dilation: dilation),
            operation: "maxPool2d")
        let out = Tensor(uninitializedShape: pool.outputShape)
        var argmax = [Int32](repeating: 0, count: out.count)
        argmax.withUnsafeMutableBufferPointer { pool.maxForward(storage.base, into: out.storage.base, argmax: $0.baseAddress!) }
        return out.recording(input: self) { g in
            var grad = Tensor.zeros(pool.inputShape)
            argmax.withUnsafeBufferPointer { pool.maxBackward(g.storage.base, argmax: $0.baseAddress!, into: grad.storage.base) }
            grad.node = nil
            return grad
        }
    }

    /// Average pooling, PyTorch's `AvgPool2d` (`ceil_mode=False`, `count_include_pad=True`):
    /// y[n, c, i, j] = (1 / (kh·kw)) Σ of the window taps, padding counting as zeros.
    /// `stride` defaults to the kernel size. Pullback: each tap receives g / (kh·kw).
    public func avgPool2d(kernel: Size2d, stride: Size2d? = nil, padding: Size2d = 0) throws -> Tensor {
        let pool = try PoolingShape(
            input: shape, window: Window2d(kernel: kernel, stride: stride ?? kernel, padding: padding),
            operation: "avgPool2d")
        let out = Tensor(uninitializedShape: pool.outputShape)
        pool.averageForward(storage.base, into: out.storage.base)
        return out.recording(input: self) { g in
            var grad = Tensor.zeros(pool.inputShape)
            pool.averageBackward(g.storage.base, into: grad.storage.base)
            grad.node = nil
            return grad
        }
    }

    /// Global average pooling `[n, c, h, w] → [n, c]`: the mean of each channel's plane (PyTorch's
    /// `AdaptiveAvgPool2d(1)` followed by `Flatten`). Pullback: g[n, c] / (h·w) at every pixel.
    public func globalAveragePool2d() throws -> Tensor {
        guard rank == 4 else {
            throw InitiumError.invalidShape(
                operation: "globalAveragePool2d", shape: shape, reason: "expected an input [batch, channels, height, width]")
        }
        let planes = shape[0] * shape[1], pixels = shape[2] * shape[3]
        guard pixels > 0 else {
            throw InitiumError.invalidShape(operation: "globalAveragePool2d", shape: shape, reason: "empty image")
        }
        let out = Tensor(uninitializedShape: [shape[0], shape[1]])
        let src = storage.base, dst = out.storage.base
        let scale = 1 / Float(pixels)
        for plane in 0..<planes { dst[plane] = VectorLoops.sum(src + plane * pixels, pixels) * scale }
        let inputShape = shape
        return out.recording(input: self) { g in
            let grad = Tensor(uninitializedShape: inputShape)
            let gp = g.storage.base, gd = grad.storage.base
            for plane in 0..<planes {
                (gd + plane * pixels).update(repeating: gp[plane] * scale, count: pixels)
            }
            return grad
        }
    }
}

/// The sizes of a pooling of `[n, c, h, w]`, validated, and its kernels.
struct PoolingShape: Sendable {
    let planes, height, width: Int
    let inputShape: [Int]
    let window: Window2d
    let outHeight, outWidth: Int

    /// Validates rank, padding (at most half the kernel, PyTorch's rule) and window fit.
    init(input: [Int], window: Window2d, operation: String) throws {
        guard input.count == 4 else {
            throw InitiumError.invalidShape(
                operation: operation, shape: input, reason: "expected an input [batch, channels, height, width]")
        }
        guard window.padding.height <= window.kernel.height / 2, window.padding.width <= window.kernel.width / 2 else {
            throw InitiumError.invalidArgument("\(operation): padding \(window.padding) must be at most half the kernel \(window.kernel)")
        }
        let out = try window.outputSize(for: Size2d(input[2], input[3]), operation: operation)
        (planes, height, width, inputShape, self.window) = (input[0] * input[1], input[2], input[3], input, window)
        (outHeight, outWidth) = (out.height, out.width)
    }

    var outputShape: [Int] { [inputShape[0], inputShape[1], outHeight, outWidth] }
    private var outputPixels: Int { outHeight * outWidth }
    private var minimumPlanesPerThread: Int {
        max(1, (1 << 14) / max(1, outputPixels * window.kernel.height * window.kernel.width))
    }

    /// Runs `body(plane)` for every image plane (n, c), split across threads.
    private func forEachPlane(_ body: (Int) -> Void) {
        Parallel.forEachChunk(count: planes, minimumPerThread: minimumPlanesPerThread) { range in
            for plane in range { body(plane) }
        }
    }

    /// One output pixel's window: its flat output index, the kernel rows and columns that fall
    /// inside the image, and the input coordinates of the kernel's top-left tap (may be negative).
    struct PoolingWindow {
        let output: Int
        let rows, columns: Range<Int>
        let y0, x0: Int
    }

    /// The in-image kernel taps of the window at each output index along one axis: taps t with
    /// o·stride − padding + t·dilation inside `0..<size` (``ConvolutionShape/validRange(offset:stride:size:count:)``
    /// with the roles of taps and outputs exchanged).
    private static func taps(outputs: Int, stride: Int, padding: Int, dilation: Int, kernel: Int, size: Int) -> [Range<Int>] {
        (0..<outputs).map { o in
            ConvolutionShape.validRange(offset: o * stride - padding, stride: dilation, size: size, count: kernel)
        }
    }

    /// Calls `body` for every output pixel's window, for each plane `forEachPlane` visits: the
    /// tap ranges are computed once per call, then `body(plane, window)` runs in output order.
    private func forEachWindow(_ body: (_ plane: Int, PoolingWindow) -> Void) {
        let (s, p, d, k) = (window.stride, window.padding, window.dilation, window.kernel)
        let rowTaps = Self.taps(outputs: outHeight, stride: s.height, padding: p.height, dilation: d.height, kernel: k.height, size: height)
        let columnTaps = Self.taps(outputs: outWidth, stride: s.width, padding: p.width, dilation: d.width, kernel: k.width, size: width)
        forEachPlane { plane in
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    body(plane, PoolingWindow(
                        output: oy * outWidth + ox, rows: rowTaps[oy], columns: columnTaps[ox],
                        y0: oy * s.height - p.height, x0: ox * s.width - p.width))
                }
            }
        }
    }

    func maxForward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let (w, h, ow, oh) = (width, height, outWidth, outHeight)
        let d = window.dilation
        if window.kernel == 2 && window.stride == 2 && window.padding == 0 && d == 1 {
            forEachPlane { plane in
                let src = x + plane * h * w, dst = y + plane * outputPixels, arg = argmax + plane * outputPixels
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let top = 2 * oy * w + 2 * ox
                        var best = src[top], at = top
                        if src[top + 1] > best { best = src[top + 1]; at = top + 1 }
                        if src[top + w] > best { best = src[top + w]; at = top + w }
                        if src[top + w + 1] > best { best = src[top + w + 1]; at = top + w + 1 }
                        dst[oy * ow + ox] = best
                        arg[oy * ow + ox] = Int32(at)
                    }
                }
            }
            return
        }
        forEachWindow { plane, win in
            let src = x + plane * h * w
            var best = -Float.infinity, at = (win.y0 + win.rows.lowerBound * d.height) * w + win.x0 + win.columns.lowerBound * d.width
            for ki in win.rows {
                let line = (win.y0 + ki * d.height) * w + win.x0
                for kj in win.columns {
                    let v = src[line + kj * d.width]
                    if v > best || v.isNaN { best = v; at = line + kj * d.width }
                }
            }
            y[plane * outputPixels + win.output] = best
            argmax[plane * outputPixels + win.output] = Int32(at)
        }
    }

    func maxBackward(_ g: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, into dx: UnsafeMutablePointer<Float>) {
        let inputPixels = height * width
        forEachPlane { plane in
            let src = g + plane * outputPixels, arg = argmax + plane * outputPixels, dst = dx + plane * inputPixels
            for j in 0..<outputPixels { dst[Int(arg[j])] += src[j] }
        }
    }

    /// Average pooling counts padding taps as zeros (PyTorch's default `count_include_pad=True`):
    /// every window is divided by the full kernel size. Average windows have dilation 1.
    func averageForward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(window.kernel.height * window.kernel.width)
        forEachWindow { plane, win in
            let src = x + plane * height * width
            var total: Float = 0
            for ki in win.rows {
                let line = src + (win.y0 + ki) * width + win.x0
                for kj in win.columns { total += line[kj] }
            }
            y[plane * outputPixels + win.output] = total * scale
        }
    }

    func averageBackward(_ g: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(window.kernel.height * window.kernel.width)
        forEachWindow { plane, win in
            let dst = dx + plane * height * width
            let share = g[plane * outputPixels + win.output] * scale
            for ki in win.rows {
                let line = dst + (win.y0 + ki) * width + win.x0
                for kj in win.columns { line[kj] += share }
            }
        }
    }
}
