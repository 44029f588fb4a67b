/// Importing InitiumCore brings the spec layer its errors and activations are built on
/// (`SpecSyntax`, `SpecError`, the activation table), as the other modules re-export theirs.
@_exported import InitiumSpec
