/// Importing InitiumPrune brings the initializer catalog, the layers and the engine it prunes.
@_exported import InitiumInit
