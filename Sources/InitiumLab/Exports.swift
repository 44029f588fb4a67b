/// Importing InitiumLab brings the initializer catalog, layers and engine.
@_exported import InitiumInit
