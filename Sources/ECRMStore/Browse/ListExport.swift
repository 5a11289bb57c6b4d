import CSVStream
import ECRMDomain

/// Export of a console list with an encoding choice the console can name without importing
/// CSVStream. The list's members are taken as the list shows them (RFM sets as of the stored
/// computation) and handed to the Exporter as listed ids.
public enum ListExport {
    public enum Encoding: String, Sendable, CaseIterable {
        case utf8, utf8BOM = "bom", gb18030
        var csv: CSVOutputEncoding {
            switch self { case .utf8: return .utf8; case .utf8BOM: return .utf8WithBOM; case .gb18030: return .gb18030 }
        }
    }

    /// Members written. `reveal` (clear phones) is owner-only and audited by the Exporter.
    public static func export(_ store: Store, set: MemberSet, to path: String, settings: RFMSettings,
                              reveal: Bool, encoding: Encoding, headers: Exporter.Headers = .keys) throws -> Int {
        let listed: MemberSet = set == .all || set.memberIds != nil ? set : .ids(try MemberSets.allIds(store, set))
        return try Exporter(store: store).export(to: path, settings: settings, set: listed, reveal: reveal,
                                                 encoding: encoding.csv, headers: headers)
    }
}
