import InitiumCore

/// A signal sampled on a regular grid, the target of a coordinate network (an implicit neural
/// representation): an image is a grid `[height, width]` with 1 or 3 channels, a sound a grid
/// `[samples]` with 1 or more channels.
///
/// ``values`` holds one row per grid point, in row-major order over ``grid`` (the last axis varies
/// fastest), and one column per channel. ``coordinates()`` gives the matching inputs, each axis
/// spread evenly over [−1, 1] as SIREN's `get_mgrid` does (Sitzmann et al., NeurIPS 2020), so a
/// network maps row i of the coordinates to row i of the values.
public struct Signal: Sendable {
    /// The grid's sizes, one per input dimension: `[height, width]` or `[samples]`.
    public let grid: [Int]
    /// Values per grid point (1 for grey or mono, 3 for RGB).
    public let channels: Int
    /// The samples, `[grid.product, channels]`, row-major over ``grid``.
    public let values: Tensor

    /// A signal; throws unless `grid` is non-empty with positive sizes and `values` is
    /// `[Π grid, channels]`.
    public init(grid: [Int], channels: Int, values: Tensor) throws {
        guard !grid.isEmpty, grid.allSatisfy({ $0 > 0 }), channels > 0 else {
            throw InitiumError.invalidArgument("a signal needs positive grid sizes and channels, got grid \(grid) with \(channels) channels")
        }
        var points = 1
        for size in grid {
            let (product, overflow) = points.multipliedReportingOverflow(by: size)
            guard !overflow else { throw InitiumError.invalidArgument("signal grid \(grid) has more points than Int holds") }
            points = product
        }
        guard values.shape == [points, channels] else {
            throw InitiumError.shapeMismatch(operation: "signal values", lhs: values.shape, rhs: [points, channels])
        }
        self.grid = grid
        self.channels = channels
        self.values = values
    }

    /// The number of input coordinates: 2 for an image, 1 for a sound.
    public var dimension: Int { grid.count }

    /// The number of grid points, ``values``' row count.
    public var pointCount: Int { values.shape[0] }

    /// The grid's coordinates `[pointCount, dimension]`: axis k's index i maps to
    /// −1 + 2i/(grid[k] − 1) (0 when the axis has one point), columns in axis order, rows
    /// row-major like ``values``.
    public func coordinates() -> Tensor {
        let n = pointCount, d = dimension
        var result = Tensor(uninitializedShape: [n, d])
        result.withUnsafeMutableBufferPointer { out in
            var strides = [Int](repeating: 1, count: d)
            for axis in stride(from: d - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * grid[axis + 1] }
            for axis in 0..<d {
                let size = grid[axis], step = strides[axis]
                let scale: Float = size > 1 ? 2 / Float(size - 1) : 0
                for point in 0..<n {
                    let index = (point / step) % size
                    out[point * d + axis] = size > 1 ? Float(index) * scale - 1 : 0
                }
            }
        }
        return result
    }
}
