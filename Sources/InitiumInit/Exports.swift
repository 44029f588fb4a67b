/// Importing InitiumInit brings the engine and layers it initializes.
@_exported import InitiumNN
