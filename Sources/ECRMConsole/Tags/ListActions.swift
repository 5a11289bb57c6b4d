import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// What any member list can do with all its members: bulk tag (preview, confirm, undo) and
/// export. A list names its members as a MemberSet.
enum ListActions {
    /// `B`: ask for a tag, preview ("will tag 12,345 members, 120 already have it"), confirm, apply.
    static func bulkTag(app: ConsoleApp, set: MemberSet, from view: ConsoleView) {
        let s = app.labels.seg, required = app.labels.required
        app.overlay = .form(FormOverlay(title: s.bulkTitle(view.title.isEmpty ? app.labels.panes[0] : view.title),
                                        form: Form([FormField(app.labels.tagLabel, validate: { $0.trimmingCharacters(in: .whitespaces).isEmpty ? required : nil })]),
                                        submit: { v in
            let tag = v[0].trimmingCharacters(in: .whitespaces)
            do {
                let target = try resolve(set, app: app)
                // A count with one join: fast enough to answer before the dialog opens.
                let (preview, exists) = try BulkTagger(store: app.store).previewTagging(tag, target)
                let message = s.bulkPreview(SegmentsView.count(preview.members), SegmentsView.count(preview.alreadyTagged), tag,
                                            SegmentsView.count(preview.changes(.add))) + (exists ? "" : " " + s.tagWillBeCreated)
                app.push(ConfirmView(title: s.bulkConfirmTitle, message: message, under: view) { app in
                    apply(app: app, tag: tag, set: target, create: !exists)
                })
                return nil
            } catch { return app.labels.describe(error) }
        }))
    }

    /// The list's set, with the whole store spelled out as its ids (the action's log names how many).
    static func resolve(_ set: MemberSet, app: ConsoleApp) throws -> MemberSet {
        set == .all ? .ids(try MemberSets.allIds(app.store, .all)) : set
    }

    private static func apply(app: ConsoleApp, tag: String, set: MemberSet, create: Bool) {
        let store = app.store, box = app.mailbox, s = app.labels.seg, labels = app.labels
        app.show(s.bulkRunning)
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                // A new tag is created in the bulk action's own transaction: killed part-way, neither stays.
                let action = try BulkTagger(store: store).apply(tag, to: set, createIfMissing: create)
                box.post(.segmentsUI(.tagsChanged))
                box.post(.toast(s.bulkDone(SegmentsView.count(action.changed), action.tag), .success))
            } catch { box.post(.toast(labels.describe(error), .error)) }
        }
    }

    /// `u` / `:undo`: undoes this operator's last bulk tag action, with a toast of what it was.
    static func undo(app: ConsoleApp) {
        let store = app.store, box = app.mailbox, s = app.labels.seg, labels = app.labels
        let words = AuditLabels(zh: app.labels.language == .zh)
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let (action, changed) = try BulkTagger(store: store).undoLast()
                box.post(.segmentsUI(.tagsChanged))
                box.post(.toast(s.undone(action.kind == .add, SegmentsView.count(changed), action.tag, words.scope(action.scope)), .success))
            } catch { box.post(.toast(labels.describe(error), .warning)) }
        }
    }

    /// `x`: file name, then choices (encoding, headers, and for the owner clear phones); asks
    /// before replacing a file; exports in the background.
    static func exportForm(app: ConsoleApp, set: MemberSet, name: String) {
        exportForm(app: app, name: name, exported: app.labels.exported) { store, path, settings, reveal, encoding, headers in
            try ListExport.export(store, set: set, to: path, settings: settings, reveal: reveal, encoding: encoding, headers: headers)
        }
    }

    /// Writes one export (path, settings, clear phones, encoding, header words) and returns the members written.
    typealias ExportJob = @Sendable (Store, String, RFMSettings, Bool, ListExport.Encoding, Exporter.Headers) throws -> Int

    /// The same dialog for any export (a campaign's send list too); `exported` words the toast.
    static func exportForm(app: ConsoleApp, name: String, exported: @escaping @Sendable (Int, String) -> String, job: @escaping ExportJob) {
        let s = app.labels.seg, required = app.labels.required
        var fields = [
            FormField(s.exportFile, TextField("ecrm-\(name)-\(app.asOf).csv"), validate: { $0.trimmingCharacters(in: .whitespaces).isEmpty ? required : nil }),
            FormField(s.exportEncoding, choices: s.encodings),
            FormField(s.exportHeaders, choices: s.headerModes),
        ]
        if app.role == .owner { fields.append(FormField(s.exportPhones, choices: s.phoneModes)) }
        let under = app.topView
        app.overlay = .form(FormOverlay(title: s.exportTitle, form: Form(fields), submit: { v in
            let encoding: ListExport.Encoding = [.utf8BOM, .utf8, .gb18030][s.encodings.firstIndex(of: v[1]) ?? 0]
            let headers: Exporter.Headers = s.headerModes.firstIndex(of: v[2]) == 1 ? .keys : .zh
            let reveal = v.count > 3 && s.phoneModes.firstIndex(of: v[3]) == 1
            let path = absolutePath(v[0].trimmingCharacters(in: .whitespaces))
            let go: (ConsoleApp) -> Void = { app in run(app: app, file: path, encoding: encoding, reveal: reveal, headers: headers, exported: exported, job: job) }
            if FileManager.default.fileExists(atPath: path) {
                app.push(ConfirmView(title: s.overwriteTitle, message: s.fileExists(path), under: under, onConfirm: go))
            } else {
                go(app)
            }
            return nil
        }))
    }

    static func absolutePath(_ file: String) -> String {
        file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
    }

    static func encoding(_ text: String) -> ListExport.Encoding? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf8", "utf-8": return .utf8
        case "bom", "utf8-bom", "utf-8-bom", "excel": return .utf8BOM
        case "gb18030", "gbk": return .gb18030
        default: return nil
        }
    }

    /// Exports with the stored RFM settings (so the file agrees with the pane); clear phones are
    /// the owner's and audited by the exporter.
    static func run(app: ConsoleApp, set: MemberSet, file: String, encoding: ListExport.Encoding, reveal: Bool,
                    headers: Exporter.Headers = .zh) {
        run(app: app, file: file, encoding: encoding, reveal: reveal, headers: headers, exported: app.labels.exported) { store, path, settings, reveal, encoding, headers in
            try ListExport.export(store, set: set, to: path, settings: settings, reveal: reveal, encoding: encoding, headers: headers)
        }
    }

    static func run(app: ConsoleApp, file: String, encoding: ListExport.Encoding, reveal: Bool, headers: Exporter.Headers,
                    exported: @escaping @Sendable (Int, String) -> String, job: @escaping ExportJob) {
        let store = app.store, box = app.mailbox, labels = app.labels
        let stored = (try? BrowseStats.storedSegmentSummary(store))?.settings
        let settings = stored ?? RFMSettings(asOf: app.asOf)
        let path = absolutePath(file)
        app.show(labels.exporting)
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let n = try job(store, path, settings, reveal, encoding, headers)
                box.post(.toast(exported(n, path) + (reveal ? labels.seg.clearLogged : ""), .success))
            } catch { box.post(.toast(labels.describe(error), .error)) }
        }
    }
}
