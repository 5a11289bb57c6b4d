import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

extension ConsoleApp {
    /// `:` commands: q, theme NAME, lang zh|en, export FILE (the current list), search TEXT.
    func runCommand(_ line: String) {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let cmd = words.first?.lowercased() else { return }
        let arg = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch cmd {
        case "q", "quit", "q!", "qa": quit()
        case "theme":
            guard !arg.isEmpty else { show(labels.usage(":theme default|mono|…"), .warning); return }
            do {
                let theme = try ThemeLoader().load(arg)
                host?.setTheme(theme)
                show(labels.themeSet(theme.name), .success)
            } catch ThemeError.unknown(let name, let available) {
                show(labels.unknownTheme(name, available.joined(separator: ", ")), .error)
            } catch { show(labels.describe(error), .error) }
        case "lang":
            guard let l = MessageLanguage(rawValue: arg.lowercased()) else { show(labels.usage(":lang zh|en"), .warning); return }
            setLanguage(l)
            show(labels.langSet, .success)
        case "export", "w":
            guard !arg.isEmpty else { show(labels.usage(":export FILE.csv"), .warning); return }
            export(to: arg)
        case "search", "s":
            guard !arg.isEmpty else { openSearchPrompt(initial: ""); return }
            openSearchPrompt(initial: "")
            prompt = nil
            search.openIfSingle = true
            runSearch(arg)
        case "help", "h": perform(.std(.help))
        case "undo": ListActions.undo(app: self)
        case "health", "birthdays":
            // Shown over the Segments pane, where `h` and `b` open them too.
            switchPane(1)
            push(cmd == "health" ? HealthView(app: self) : BirthdaysView(app: self))
        case "channels":
            // Over the Members pane, where `v` on a member list opens it too.
            switchPane(0)
            push(ChannelsView(app: self))
        default: show(labels.unknownCommand(cmd), .warning)
        }
    }

    /// Exports the list on screen (whole store, a drill-down, or a search result) in the
    /// background; phones masked (clear export is the owner's, on the command line).
    func export(to file: String) {
        // Any list the console shows (grid cell, lifecycle, several tags too) as its member set.
        if let list = panes[paneIndex].reversed().compactMap({ $0 as? MemberListView }).first {
            let words = file.split(separator: " ").map(String.init)
            let encoding = words.count > 1 ? ListActions.encoding(words[1]) ?? .utf8BOM : .utf8BOM
            ListActions.run(app: self, set: list.memberSet(app: self), file: words[0], encoding: encoding, reveal: false)
            return
        }
        ensurePane(paneIndex)
        let store = self.store, box = mailbox, labels = self.labels
        let stored = (try? BrowseStats.storedSegmentSummary(store))?.settings
        let settings = stored ?? RFMSettings(asOf: asOf)
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        show(labels.exporting)
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let n = try Exporter(store: store).export(to: path, settings: settings, reveal: false)
                box.post(.toast(labels.exported(n, file), .success))
            } catch { box.post(.toast(labels.describe(error), .error)) }
        }
    }
}
