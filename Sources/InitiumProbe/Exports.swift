/// Importing InitiumProbe brings the initializer catalog, layers and engine.
@_exported import InitiumInit
