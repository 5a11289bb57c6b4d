import TerminalKit

/// A yes/no question as a view on the stack, so its keys (y/Enter, n/q/Esc) go through the key
/// table like every other view: the view underneath is drawn, the dialog over it.
final class ConfirmView: ConsoleView {
    private var dialog: ConfirmDialog
    private weak var under: ConsoleView?
    private let onConfirm: (ConsoleApp) -> Void

    init(title: String, message: String, under: ConsoleView?, onConfirm: @escaping (ConsoleApp) -> Void) {
        dialog = ConfirmDialog(title: title, message: message)
        self.under = under
        self.onConfirm = onConfirm
    }

    var contexts: [String] { ["confirm"] }
    var isModal: Bool { true }
    var title: String { dialog.title }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        guard action == .seg(.confirm) else { return false }
        app.pop(quitAtRoot: false)
        onConfirm(app)
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        under?.draw(on: canvas, app: app)
        dialog.answerHint = app.labels.confirmAnswer
        // Inset so the box never touches the list's right-aligned last column.
        dialog.draw(on: canvas.region(Rect(x: 4, y: 0, width: max(20, canvas.width - 8), height: canvas.height)), glyphs: app.glyphs)
    }
}
