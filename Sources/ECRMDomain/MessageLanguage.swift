/// The two languages every rule message is written in: the console shows Chinese by default,
/// scripts and logs may ask for English.
public enum MessageLanguage: String, Sendable, CaseIterable, Codable {
    case zh, en
}
