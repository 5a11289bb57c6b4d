import TerminalKit
import ECRMDomain

extension ConsoleApp {
    /// Smallest usable screen; below it the "terminal too small" screen is shown instead.
    static let minimumSize = TermSize(width: 60, height: 16)

    /// One frame: tab bar, the current view, status line, and the bottom row (prompt, message
    /// or key hints); then any modal. Draws every cell each frame; ncurses sends only changes.
    public func draw(on canvas: Canvas) {
        let size = TermSize(width: canvas.width, height: canvas.height)
        lastSize = size
        if TooSmallScreen.isTooSmall(size, minimum: Self.minimumSize) {
            TooSmallScreen.draw(on: canvas, minimum: Self.minimumSize)
            return
        }
        let view = topView
        let body = Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 3)
        lastBodyHeight = body.height
        // A view that came on screen without a key (the Members pane at start, a search result)
        // listens, and takes its first value, before its first frame, as after a key; before the
        // tab bar too, whose title may come from that value (a card's nick).
        updateWatch(view)
        drawTabBar(on: canvas, view: view)
        view.draw(on: canvas.region(body), app: self)
        drawStatus(on: canvas, y: canvas.height - 2, view: view)
        drawBottomRow(on: canvas, y: canvas.height - 1, view: view)
        switch overlay {
        case .help(var help)?:
            // Over the body only, so the tab bar and status line stay readable.
            help.draw(on: canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 2)),
                      title: labels.helpTitle, glyphs: glyphs)
            overlay = .help(help)
        case .form(var f)?:
            let width = min(canvas.width - 4, 64)
            // The form is drawn 4 columns narrower than the box (borders and margins).
            let rows = min(canvas.height - 6, f.form.height(width: width - 4))
            let inner = Box.modal(on: canvas, width: width, height: rows + 4, title: f.title, glyphs: glyphs)
            f.form.draw(on: inner.region(Rect(x: 1, y: 1, width: inner.width - 2, height: inner.height - 2)))
            overlay = .form(f)
        case nil: break
        }
    }

    var glyphs: BorderGlyphs { host?.isUTF8 == false ? .ascii : .unicode }

    private func drawTabBar(on canvas: Canvas, view: ConsoleView) {
        canvas.fill(Rect(x: 0, y: 0, width: canvas.width, height: 1), role: .header)
        var x = canvas.put(" ecrm ", x: 0, y: 0, role: .title)
        for (i, name) in labels.panes.enumerated() {
            let active = i == paneIndex
            x = canvas.put(" \(i + 1) \(name) ", x: x, y: 0, role: active ? .hintKey : .muted)
        }
        // Breadcrumb of the current pane's stack: 会员 › 「张」 › 张小花
        let crumbs = panes[paneIndex].dropFirst().map(\.title)
        if !crumbs.isEmpty {
            let text = truncateWithEllipsis(crumbs.joined(separator: " › "), max(0, canvas.width - x - 2))
            canvas.put(text, x: canvas.width - displayWidth(text) - 1, y: 0, role: .header)
        }
    }

    private func drawStatus(on canvas: Canvas, y: Int, view: ConsoleView) {
        var parts = [storeFileName, "\(store.operatorName) \(labels.roleName(role))"]
        if let s = view.statusText { parts.append(s) }
        if search.pending { parts.append(labels.searching) }
        if let w = writeWait { parts.append(labels.waitingFor(w)) }
        StatusLine.draw(on: canvas, y: y, left: parts.joined(separator: " · "), right: view.position ?? "")
    }

    private func drawBottomRow(on canvas: Canvas, y: Int, view: ConsoleView) {
        if let p = prompt {
            canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1))
            let label = p.kind == .search ? labels.searchPrompt : labels.commandPrompt
            let x = canvas.put(label, x: 0, y: y, role: .title)
            var field = p.field
            field.draw(on: canvas, x: x, y: y, width: canvas.width - x, focused: true)
            prompt?.field = field
        } else if let t = toast {
            // A message longer than the row borrows the status row above rather than being cut
            // ("…its members follow its rul…"): it is there until the next key anyway.
            let lines = wrapToWidth(t.text, canvas.width)
            if lines.count > 1, y > 0 {
                Toast(lines[0], kind: t.kind).draw(on: canvas, y: y - 1)
                Toast(lines.dropFirst().joined(separator: " "), kind: t.kind).draw(on: canvas, y: y)
            } else {
                t.draw(on: canvas, y: y)
            }
        } else {
            // Under a question only its answers work, so only they are offered.
            HintBar.draw(on: canvas, y: y, hints: keys.hints(contexts: view.contexts, global: !view.isModal))
        }
    }
}
