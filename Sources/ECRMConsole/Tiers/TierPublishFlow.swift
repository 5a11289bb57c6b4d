import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Publishing from the preview, which cannot be undone, so it cannot happen by accident:
/// 1. a draft that breaks a rule is refused at once, with the rule's own words (tier, field, why,
///    what is allowed);
/// 2. the owner types `publish` (a word, not a y/n key that a stray keystroke could hit);
/// 3. when a discount goes below the distributor floor, a second typed word, `below-floor`;
/// 4. the store publishes exactly what this preview showed, in the background, and refuses if
///    someone published or edited the draft meanwhile: that is explained and the preview redone.
extension TierPreviewView {
    func startPublish(_ app: ConsoleApp) {
        let t = app.labels.tierUI
        guard !publishing else { app.show(t.publishing); return }
        guard let p = preview else { app.show(t.stillComputing, .warning); return }
        guard p.hasChanges else { refuse(.nothingToPublish(version: p.liveVersion), app); return }
        guard p.review.canPublish else { refuse(.blocked(p.review.blocking), app); return }
        banner = nil
        let next = (p.liveVersion ?? 0) + 1
        let word = t.confirmWord
        let field = FormField(t.confirmLabel, TextField(maxLength: 20)) { $0 == word ? nil : t.mustType(word) }
        app.overlay = .form(FormOverlay(title: t.confirmTitle(next), form: Form([field])) { [weak self, unowned app] _ in
            guard let self else { return nil }
            if p.review.needsSecondConfirmation {
                // The app closes this form after `submit`; the second one opens on the next turn.
                self.awaitingFloorConfirmation = true
                app.mailbox.post(.tierConfirmFloor)
            } else {
                self.publish(p, confirmFloor: false, app: app)
            }
            return nil
        })
    }

    func askFloorConfirmation(_ app: ConsoleApp) {
        guard let p = preview else { return }
        let t = app.labels.tierUI, lang = app.labels.language
        // The floor warnings stay readable behind the dialog, in the banner.
        banner = (TierServiceError.belowFloorNeedsConfirmation(p.review.warnings).message(lang), .warning)
        let word = t.floorWord
        let field = FormField(t.floorLabel2, TextField(maxLength: 20)) { $0 == word ? nil : t.mustType(word) }
        app.overlay = .form(FormOverlay(title: t.floorTitle, form: Form([field])) { [weak self, unowned app] _ in
            self?.publish(p, confirmFloor: true, app: app)
            return nil
        })
    }

    private func publish(_ p: TierPreview, confirmFloor: Bool, app: ConsoleApp) {
        publishing = true
        banner = (app.labels.tierUI.publishing, .info)
        let store = app.store, box = app.mailbox, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let r = try TierService.publish(store, reviewed: p, confirmFloor: confirmFloor)
                box.post(.tierPublished(r, refused: nil, failure: nil))
            } catch let e as TierServiceError {
                box.post(.tierPublished(nil, refused: e, failure: nil))
            } catch {
                box.post(.tierPublished(nil, refused: nil, failure: labels.describe(error)))
            }
        }
    }

    func finished(_ result: TierService.PublishResult?, refused: TierServiceError?, failure: String?, app: ConsoleApp) {
        let t = app.labels.tierUI
        if let r = result {
            banner = nil
            // Back to the pane (it reloads live, draft and counts when shown again).
            if app.panes[app.paneIndex].last === self {
                while app.panes[app.paneIndex].count > 1 { app.pop(quitAtRoot: false) }
            }
            app.show(t.published(r), .success)
            return
        }
        if let e = refused {
            switch e {
            case .stalePublish, .draftChanged:
                // Someone else published or edited: explain, and show the preview as it is now.
                refresh(app)
                banner = (e.message(app.labels.language) + " — " + t.refreshed, .warning)
            default:
                refuse(e, app)
            }
            return
        }
        banner = (failure ?? "?", .error)
        app.show(failure ?? "?", .error)
    }

    private func refuse(_ e: TierServiceError, _ app: ConsoleApp) {
        let text = e.message(app.labels.language)
        banner = (text, .error)
        app.show(text, .error)
    }
}
