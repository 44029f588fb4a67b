import InitiumCore

/// Where a module is built: its random key and its path in the model, in the style of candle's
/// `VarBuilder`. A constructor receives its scope and makes each child's with ``child(_:)``, so a
/// child's name is written once and its key, its path and its place in ``Module/children``
/// (through ``ChildList``) all follow from it.
///
/// Keys: a module's key is the key of the nearest enclosing module folded with the path between
/// them (``RandomKey/fold(_:)-(String)``), and a layer folds its parameter names into its own key
/// (`weight`, `bias`). Plain containers such as ``Sequential`` fold nothing of their own: they
/// are built in a ``group(_:)``, whose name joins the next child's, so the block at
/// `stages.0.blocks.1` of a ResNet gets `key.fold("stages.0.blocks.1")` and its first convolution
/// `key.fold("stages.0.blocks.1").fold("conv1")`. With no key (`nil`) layers start at zero.
public struct Scope: Sendable {
    /// The key of the nearest enclosing module that folds, or `nil`.
    private let base: RandomKey?
    /// The path from that module to this scope (`""` for the module itself).
    private let relative: String
    /// The path from the model's root, e.g. `stages.0.blocks.1.conv1` (`""` at the root).
    public let path: String

    private init(base: RandomKey?, relative: String, path: String) {
        self.base = base
        self.relative = relative
        self.path = path
    }

    /// The scope of a model's root, drawing from `key` (`nil`: every weight starts at zero, for
    /// weights that are loaded or set right after construction).
    public init(key: RandomKey?) { self.init(base: key, relative: "", path: "") }

    /// The key of the module built in this scope: the enclosing module's key folded with the
    /// path from it, or `nil`.
    public var key: RandomKey? { relative.isEmpty ? base : base?.fold(relative) }

    /// The scope of a child module called `name`, which folds its own key.
    public func child(_ name: String) -> Scope {
        let folded = group(name)
        return Scope(base: folded.key, relative: "", path: folded.path)
    }

    /// The scope of a plain container called `name` (``Sequential``, a ResNet stage) that folds no
    /// key of its own: its name joins the path folded by its children.
    public func group(_ name: String) -> Scope {
        Scope(
            base: base, relative: relative.isEmpty ? name : relative + "." + name,
            path: path.isEmpty ? name : path + "." + name)
    }
}

/// A module's children, named once as they are built: ``add(_:_:)`` makes a child in its scope
/// and records it under that name, so ``Module/children`` is the list this builds and the
/// parent's forward pass runs children through ``Module/forward(child:_:context:)`` without
/// repeating names. An error thrown while a child is built names it (``InitiumError/layer(path:problem:)``).
public struct ChildList {
    /// The scope of the module whose children these are.
    public let scope: Scope
    /// The children in the order they were added, with their names.
    public private(set) var entries: [(name: String, module: any Module)] = []

    /// An empty list for the module built in `scope`.
    public init(_ scope: Scope) { self.scope = scope }

    /// Builds the child called `name` in `scope.child(name)` and records it.
    @discardableResult
    public mutating func add<M: Module>(_ name: String, _ make: (Scope) throws -> M) throws -> M {
        let scope = scope.child(name)
        return try record(name) { try make(scope) }
    }

    /// Builds the next child of a ``Sequential``, named by its position (`0`, `1`, …).
    @discardableResult
    public mutating func append<M: Module>(_ make: (Scope) throws -> M) throws -> M {
        try add(String(entries.count), make)
    }

    /// Builds the next child of a ``Sequential`` as a plain container (see ``Scope/group(_:)``),
    /// named by its position.
    @discardableResult
    public mutating func appendGroup<M: Module>(_ make: (Scope) throws -> M) throws -> M {
        try addGroup(String(entries.count), make)
    }

    /// Builds the plain container called `name` in `scope.group(name)` (see ``Scope/group(_:)``)
    /// and records it.
    @discardableResult
    public mutating func addGroup<M: Module>(_ name: String, _ make: (Scope) throws -> M) throws -> M {
        let scope = scope.group(name)
        return try record(name) { try make(scope) }
    }

    private mutating func record<M: Module>(_ name: String, _ make: () throws -> M) throws -> M {
        let module: M
        do { module = try make() } catch let error as InitiumError { throw error.inLayer(name) }
        entries.append((name, module))
        return module
    }
}
