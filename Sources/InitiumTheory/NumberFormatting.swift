/// Formats a number the way a user would type it: the shortest decimal that reads back to the same
/// `Double`, without a trailing `.0` (`30`, `1.04`, `1e-05`). Specification strings print with it so
/// that parsing and printing round-trip.
func formatNumber(_ value: Double) -> String {
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}
