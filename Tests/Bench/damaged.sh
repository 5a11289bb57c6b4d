#!/usr/bin/env bash
# Issue 15's reliability target: 300 seeded, randomly damaged copies of a valid 2,000-row UTF-8
# orders file with Chinese nicks, each imported into a fresh store as `ecrm import orders` does.
#   Tests/Bench/damaged.sh [COPIES] [ROWS] [SEED]
# Prints garbled_rows_stored, intact_rows_rejected and file_level_failures (targets: 0, 0, 0).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$here" && swift build -c release --product ecrm-bench >/dev/null)
"$here/.build/release/ecrm-bench" damaged --copies "${1:-300}" --rows "${2:-2000}" --seed "${3:-15}"
