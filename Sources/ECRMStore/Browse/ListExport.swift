import CSVStream
import ECRMDomain

/// Export of a console list (a member set, or nil = every member) with an encoding choice the
/// console can name without importing CSVStream.
public enum ListExport {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8, utf8BOM = "bom", gb18030
        var csv: CSVOutputEncoding {
            switch self { case .utf8: return .utf8; case .utf8BOM: return .utf8WithBOM; case .gb18030: return .gb18030 }
        }
    }

    /// Members written. `reveal` (clear phones) is owner-only and audited by the Exporter.
    public static func export(_ store: Store, set: MemberSet?, to path: String, settings: RFMSettings,
                              reveal: Bool, encoding: Encoding, headers: Exporter.Headers = .keys) throws -> Int {
        if let set {
            return try MemberSetExport.export(store, set: set, to: path, settings: settings, reveal: reveal, encoding: encoding.csv, headers: headers)
        }
        return try Exporter(store: store).export(to: path, settings: settings, filter: Exporter.Filter(), reveal: reveal,
                                                 encoding: encoding.csv, headers: headers)
    }
}
