import Foundation
import TerminalKit
import ECRMStore

/// The Tags pane's create / rename / delete dialogs; the store enforces who may do what, the
/// key table shows staff why rename and delete are unavailable before they try.
enum TagForms {
    static func create(app: ConsoleApp, view: TagsView) {
        let s = app.labels.seg
        app.overlay = .form(FormOverlay(title: s.newTagTitle, form: Form([FormField(app.labels.tagLabel)]), submit: { v in
            do {
                let t = try TagService(store: app.store).create(v[0])
                view.shown(app: app)
                app.show(s.tagCreated(t.name), .success)
                return nil
            } catch { return "\(error)" }
        }))
    }

    static func rename(app: ConsoleApp, tag: String, view: TagsView) {
        let s = app.labels.seg
        app.overlay = .form(FormOverlay(title: s.renameTitle(tag), form: Form([FormField(s.newName, TextField(tag))]), submit: { v in
            do {
                try TagService(store: app.store).rename(tag, to: v[0])
                view.shown(app: app)
                app.show(s.tagRenamed(tag, v[0].trimmingCharacters(in: .whitespaces)), .success)
                return nil
            } catch { return "\(error)" }
        }))
    }

    /// Deleting removes the tag from every member: confirm with the member count shown.
    static func delete(app: ConsoleApp, tag: TagService.TagInfo, view: TagsView) {
        let s = app.labels.seg
        app.push(ConfirmView(title: s.deleteTitle, message: s.deleteMessage(tag.name, SegmentsView.count(tag.members)), under: view) { app in
            do {
                _ = try TagService(store: app.store).delete(tag.name)
                view.justDeleted = tag.name
                view.shown(app: app)
                app.show(s.tagDeleted(tag.name), .success)
            } catch { app.show("\(error)", .error) }
        })
    }

    /// `u` right after a delete: the tag comes back with its members (one transaction, audited).
    static func restore(app: ConsoleApp, tag: String, view: TagsView) {
        do {
            let n = try TagService(store: app.store).restore(tag)
            view.shown(app: app)
            app.show(app.labels.seg.tagRestored(tag, SegmentsView.count(n)), .success)
        } catch { app.show("\(error)", .error) }
    }
}
