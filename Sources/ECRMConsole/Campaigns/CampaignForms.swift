import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Creating a campaign on the member list on screen (`C`) and closing one, for the owner; the store
/// checks the role again and refuses bad definitions with the one-line rule.
enum CampaignForms {
    /// `.all` is the whole store (the Members pane's own list): its members are read at submit.
    static func create(app: ConsoleApp, set: MemberSet) {
        let l = app.labels.camp
        let seed = UInt64.random(in: 0...999_999)
        let fields = [
            FormField(l.fieldName),
            FormField(l.fieldHoldout, TextField(CampaignRules.percentText(CampaignRules.defaultHoldoutBasisPoints)),
                      validate: { CampaignRules.parseHoldoutPercent($0) == nil ? l.badHoldout : nil }),
            FormField(l.fieldStart, TextField(app.asOf.description), validate: { Day.parse($0) == nil ? l.badDate : nil }),
            FormField(l.fieldWindow, TextField(String(CampaignRules.defaultWindowDays)), validate: { Int($0.trimmingCharacters(in: .whitespaces)) == nil ? l.badNumber : nil }),
            FormField(l.fieldSeed, TextField(String(seed)), validate: { UInt64($0.trimmingCharacters(in: .whitespaces)) == nil ? l.badNumber : nil }),
        ]
        app.overlay = .form(FormOverlay(title: l.createTitle, form: Form(fields), submit: { v in
            guard let bp = CampaignRules.parseHoldoutPercent(v[1]) else { return l.badHoldout }
            guard let start = Day.parse(v[2].trimmingCharacters(in: .whitespaces)) else { return l.badDate }
            guard let window = Int(v[3].trimmingCharacters(in: .whitespaces)), let seed = UInt64(v[4].trimmingCharacters(in: .whitespaces)) else { return l.badNumber }
            do {
                let target = try ListActions.resolve(set, app: app)
                let made = try CampaignService(store: app.store).create(
                    CampaignDraft(name: v[0], holdoutBasisPoints: bp, start: start, windowDays: window),
                    target: [target], seed: seed, today: app.asOf, language: app.labels.language)
                let mdu = CampaignFormat.points(made.minDetectableUplift).replacingOccurrences(of: "+", with: "")
                app.show(made.warnsDetectable ? l.tooSmall(mdu)
                         : l.created(made.info.name, CampaignFormat.grouped(made.info.treatmentSize), CampaignFormat.grouped(made.info.controlSize), mdu),
                         made.warnsDetectable ? .warning : .success)
                // Straight to the new campaign in the Campaigns pane.
                app.switchPane(5)
                (app.panes[5].first as? CampaignsView)?.shown(app: app)
                app.push(CampaignDetailView(app: app, campaign: made.info))
                return nil
            } catch { return app.labels.describe(error) }
        }))
    }

    static func close(app: ConsoleApp, campaign: CampaignInfo, under: ConsoleView) {
        let l = app.labels.camp
        guard !campaign.closed else { app.show(l.alreadyClosed, .warning); return }
        app.push(ConfirmView(title: l.closeTitle, message: l.closeMessage(campaign.name), under: under) { app in
            do {
                try CampaignService(store: app.store).close(String(campaign.id))
                under.shown(app: app)
                app.show(l.closed(campaign.name), .success)
            } catch { app.show(app.labels.describe(error), .error) }
        })
    }
}
