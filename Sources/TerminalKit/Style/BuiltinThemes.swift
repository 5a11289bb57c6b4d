// Compiled-in copies of themes/default.toml and themes/mono.toml, so a missing
// themes directory never breaks the app. A test checks they match the files.
enum BuiltinThemes {
    static let sources: [String: String] = ["default": defaultTOML, "mono": monoTOML]

    static let defaultTOML = #"""
# ecrm default theme: dark background.
# Each role: fg / bg = a colour or a fallback list, attrs = list of attributes.
# Colours: "default" (the terminal's own), a name (red, bright_blue, ...),
# 0-255, or "#rrggbb". A list is tried in order; if nothing fits the terminal
# natively the first entry is converted to the nearest available colour.
name = "default"
description = "深色背景（默认） Dark background (default)"

[roles]
text                = { fg = "default", bg = "default" }
title               = { fg = ["#ffaf00", "yellow"], attrs = ["bold"] }
muted               = { fg = ["#8a8a8a", "bright_black", "white"] }
selection           = { fg = "black", bg = ["#5fafff", "cyan"], attrs = ["bold"] }
selection_unfocused = { fg = "default", bg = ["#444444", "bright_black", "blue"] }
tier1               = { fg = ["#87afaf", "cyan"] }
tier2               = { fg = ["#d0d0d0", "white"] }
tier3               = { fg = ["#ffd700", "yellow"], attrs = ["bold"] }
tier4               = { fg = ["#d787ff", "magenta"], attrs = ["bold"] }
positive            = { fg = ["#87d75f", "green"] }
warning             = { fg = ["#ffaf00", "yellow"], attrs = ["bold"] }
error               = { fg = ["#ff5f5f", "red"], attrs = ["bold"] }
chart_bar           = { fg = ["#5fafd7", "cyan"] }
border              = { fg = ["#585858", "bright_black", "white"] }
header              = { fg = ["#87afd7", "cyan"], attrs = ["bold"] }
status              = { fg = ["#ffffff", "white"], bg = ["#005f87", "blue"] }
hint_key            = { fg = "black", bg = ["#87afd7", "cyan"] }
hint_text           = { fg = "default" }
input               = { fg = "default", bg = ["#303030", "default"], attrs = ["underline"] }
input_focused       = { fg = ["#ffffff", "white"], bg = ["#005f87", "blue"] }
match               = { fg = "black", bg = ["#ffd75f", "yellow"] }
disabled            = { fg = ["#6c6c6c", "bright_black", "white"], attrs = ["dim"] }
"""#

    static let monoTOML = #"""
# ecrm monochrome theme: no colour at all (chosen automatically when NO_COLOR
# is set or the terminal has fewer than 8 colours). Selection and focus still
# show through reverse video and bold.
name = "mono"
description = "单色（NO_COLOR） Monochrome"
monochrome = true

[roles]
text                = {}
title               = { attrs = ["bold"] }
muted               = { attrs = ["dim"] }
selection           = { attrs = ["reverse", "bold"] }
selection_unfocused = { attrs = ["reverse"] }
tier1               = {}
tier2               = { attrs = ["underline"] }
tier3               = { attrs = ["bold"] }
tier4               = { attrs = ["bold", "underline"] }
positive            = {}
warning             = { attrs = ["bold"] }
error               = { attrs = ["bold", "underline"] }
chart_bar           = {}
border              = {}
header              = { attrs = ["bold", "underline"] }
status              = { attrs = ["reverse"] }
hint_key            = { attrs = ["reverse"] }
hint_text           = {}
input               = { attrs = ["underline"] }
input_focused       = { attrs = ["reverse"] }
match               = { attrs = ["bold", "underline"] }
disabled            = { attrs = ["dim"] }
"""#
}
