import Foundation

/// What makes a tag name acceptable (shown in the card, joined with `|` in exports, split on `,`
/// by `ecrm tags apply --tags A,B`): trimmed, 1…20 characters, none of `|` or `,`.
public enum TagName {
    public static let maxLength = 20

    /// The trimmed name, or a message saying what is wrong with it.
    public static func validated(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError.invalid("a tag needs a name") }
        guard name.count <= maxLength else {
            throw StoreError.invalid("tag name '\(name)' is \(name.count) characters; at most \(maxLength)")
        }
        if name.contains("|") || name.contains(",") || name.contains(where: \.isNewline) {
            throw StoreError.invalid("tag name '\(name)' may not contain '|', ',' or a line break")
        }
        return name
    }
}
