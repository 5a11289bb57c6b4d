import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Edit mode (owner): the draft ladder with a cursor on one field. Enter toggles enabled / the
/// metric, or opens a one-line input for name, threshold, discount and floor. While typing, the
/// ladder with the typed value is re-checked on every keystroke (TierRules.reviewPublish, pure and
/// fast) and each violation appears beside its field with the allowed value. Every confirmed
/// field is written to the shared draft at once (TierService.editDraft, one field per transaction,
/// so two sessions editing different fields keep both changes).
final class TierEditView: ConsoleView {
    private var ladder: TierLadder
    private var live: TierLadder?
    /// Members per level, for "a tier with members cannot be disabled"; counted in the background.
    private var members: [Int]?
    private var row = 1, column = 0
    /// The field whose input form is open (the form is the app's overlay).
    private var editing: TierFieldInput?
    private var error: String?

    init(app: ConsoleApp, members: [Int]?) {
        self.members = members
        ladder = .initial
        load(app)
        if members == nil { TierCounting.start(app) }
    }

    var contexts: [String] { ["tier_edit", "tiers", "scroll"] }
    private(set) var title = ""
    var position: String? { nil }

    private var cursor: TierFieldInput {
        TierFieldInput(level: row, field: TierFieldInput.fields(row: row)[column])
    }

    private func load(_ app: ConsoleApp) {
        title = app.labels.tierUI.editTitle
        do {
            let tiers = try TierService.liveAndDraft(app.store)
            (ladder, live) = (tiers.draft.ladder, tiers.live?.ladder)
            error = nil
        } catch { self.error = app.labels.describe(error) }
    }

    func shown(app: ConsoleApp) { load(app) }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .tiers(let c?, _) = message { members = c.members }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.moveDown): moveRow(row + 1)
        case .std(.moveUp): moveRow(row - 1)
        case .std(.top), .std(.pageUp), .std(.halfPageUp): moveRow(0)
        case .std(.bottom), .std(.pageDown), .std(.halfPageDown): moveRow(4)
        case .tierNextField: step(1)
        case .tierPrevField: step(-1)
        case .tierEditField, .editTiers, .std(.open): edit(app)
        case .previewTiers: app.push(TierPreviewView(app: app))
        case .tierHistory: app.push(TierHistoryView(app: app))
        case .reload: load(app); TierCounting.start(app)
        default: return false
        }
        return true
    }

    private func moveRow(_ r: Int) {
        row = min(max(r, 0), 4)
        column = min(column, TierFieldInput.fields(row: row).count - 1)
    }

    /// Tab walks every field in reading order, wrapping from the last level to the ladder row.
    private func step(_ delta: Int) {
        column += delta
        if column >= TierFieldInput.fields(row: row).count { row = (row + 1) % 5; column = 0 }
        if column < 0 { row = (row + 4) % 5; column = TierFieldInput.fields(row: row).count - 1 }
    }

    private func edit(_ app: ConsoleApp) {
        let field = cursor
        let t = app.labels.tierUI
        guard field.isTyped else {
            save(field, text: "", app: app)
            return
        }
        let tierName = field.level == 0 ? t.floorLabel : ladder.name(of: field.level)
        let title = t.formTitle(tierName, field.field)
        let input = FormField(t.inputLabel(field.field, ladder.metric), TextField(field.text(in: ladder), maxLength: 40))
        editing = field
        app.overlay = .form(FormOverlay(title: title, form: Form([input])) { [weak self, unowned app] values in
            guard let self else { return nil }
            let text = values.first ?? ""
            guard field.applying(text, to: self.ladder) != nil else {
                return field.field == .threshold && self.ladder.metric == .amount ? t.notYuan : t.notANumber
            }
            self.editing = nil
            return self.save(field, text: text, app: app)
        })
    }

    /// Writes one field into the stored draft (read fresh inside the transaction); nil or an error.
    @discardableResult
    private func save(_ field: TierFieldInput, text: String, app: ConsoleApp) -> String? {
        do {
            let saved = try TierService.editDraft(app.store) { draft in
                if let next = field.applying(text, to: draft) { draft = next }
            }
            ladder = saved.draft.ladder
            let t = app.labels.tierUI
            let what = (field.level == 0 ? "" : ladder.name(of: field.level) + " ") + t.fieldName(field.field)
            app.show(t.saved(what), saved.review.canPublish ? .success : .warning)
            return nil
        } catch let e as TierServiceError {
            return e.message(app.labels.language)
        } catch {
            return app.labels.describe(error)
        }
    }

    /// The ladder as it would be with what is typed right now (the open form's text).
    private func candidate(_ app: ConsoleApp) -> TierLadder {
        guard let field = editing else { return ladder }
        guard case .form(let f)? = app.overlay, let text = f.form.fields.first?.value else {
            editing = nil   // the form was cancelled
            return ladder
        }
        return field.applying(text, to: ladder) ?? ladder
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels, t = l.tierUI
        canvas.put(t.editTitle, x: 1, y: 0, role: .title)
        canvas.put(t.editHelp, x: 1, y: 1, role: .muted, maxWidth: canvas.width - 2)
        if let error { canvas.put(error, x: 1, y: 3, role: .error); return }
        let shown = candidate(app)
        let counts = members.map { m in Dictionary(uniqueKeysWithValues: m.enumerated().map { ($0.offset, $0.element) }) } ?? [:]
        let review = TierRules.reviewPublish(draft: shown, live: live, membersPerLevel: counts)
        let problems = review.blocking + review.warnings
        drawLadderRow(shown, problems: problems, on: canvas, y: 2, app: app)
        var y = TierLadderTable(ladder: shown, members: members, showLevelZero: false, selectedLevel: row == 0 ? nil : row,
                                selectedField: row == 0 ? nil : cursor.field, problems: problems)
            .draw(on: canvas, y: 3, app: app)
        y += 1
        if problems.isEmpty { canvas.put(t.noProblems, x: 1, y: y, role: .positive); return }
        // Full sentences (which tier, which field, why, what is allowed): the cursor's row first.
        let ordered = problems.filter { ($0.tier?.level ?? 0) == row } + problems.filter { ($0.tier?.level ?? 0) != row }
        let lines = ordered.flatMap { v in
            wrapToWidth("• " + v.message(l.language), canvas.width - 2).map { ($0, v.severity == .blocking ? StyleRole.error : .warning) }
        }
        // Bottom-aligned: the input form is a modal in the middle of the screen and must not hide them.
        y = max(y, canvas.height - lines.count)
        for (line, role) in lines {
            guard y < canvas.height else { return }
            canvas.put(line, x: 1, y: y, role: role)
            y += 1
        }
    }

    /// The ladder-wide fields: metric and distributor floor, with their own problems.
    private func drawLadderRow(_ ladder: TierLadder, problems: [TierViolation], on canvas: Canvas, y: Int, app: ConsoleApp) {
        let t = app.labels.tierUI, zh = app.labels.language == .zh
        let mine = problems.filter { $0.tier == nil }
        var x = canvas.put(t.metricLabel + " ", x: 1, y: y, role: .muted)
        func cell(_ text: String, _ field: TierField) {
            let bad = mine.contains { $0.field == field }
            let role: StyleRole = row == 0 && cursor.field == field ? .selection : (bad ? .error : .text)
            x = canvas.put(text, x: x, y: y, role: role)
        }
        cell(t.metric(ladder.metric), .metric)
        x = canvas.put("   " + t.floorLabel + " ", x: x, y: y, role: .muted)
        cell(ladder.distributorFloor.map { TierProblemText.discount($0, zh: zh) } ?? t.noFloor, .distributorFloor)
        if !mine.isEmpty {
            canvas.put("  " + mine.map { TierProblemText.short($0, zh: zh) }.joined(separator: "，"), x: x, y: y, role: .error)
        }
    }
}
