#!/usr/bin/env bash
# Issue 19 figures: `ecrm duplicates` over a whole store (target ≤ 2 s at 1M members) and the merge
# and unmerge of one candidate pair (≤ 50 ms each), on a generated shop in which every 300th member
# takes the previous member's phone (about 3,300 shared phones, as family or reseller numbers).
#   Tests/Bench/merge.sh [MEMBERS] [ORDERS] [WORKDIR]
set -euo pipefail
members=${1:-1000000}
orders=${2:-5000000}
work=${3:-/tmp/ecrm-bench-merge}
here=$(cd "$(dirname "$0")/../.." && pwd)
gen="$here/../shared/tools/gen_shop.py"
mkdir -p "$work"
data="$work/shop-$members-$orders"
if [ ! -f "$data/orders.csv" ]; then
  echo "generating $members members / $orders orders into $data ..."
  python3 "$gen" "$data" "$members" "$orders" 19
  python3 - "$data/members.csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.reader(open(path, encoding="utf-8")))
for i in range(300, len(rows), 300):
    rows[i][3] = rows[i - 1][3]
csv.writer(open(path, "w", newline="", encoding="utf-8")).writerows(rows)
PY
fi
(cd "$here" && swift build -c release --product ecrm >/dev/null && swift build -c release --product ecrm-bench >/dev/null)
ecrm="$here/.build/release/ecrm"
bench="$here/.build/release/ecrm-bench"
db="$work/shop.sqlite"
if [ ! -f "$db" ]; then
  "$ecrm" import members "$data/members.csv" --db "$db" >/dev/null
  "$ecrm" import orders "$data/orders.csv" --db "$db" >/dev/null
fi
echo "== ecrm duplicates (whole command: open, find, print)"
/usr/bin/time -f "duplicates_cmd wall_s=%e user_s=%U sys_s=%S max_rss_kib=%M" "$ecrm" duplicates --db "$db" >/dev/null
echo "== in-process: duplicates, preview, merge and unmerge of one pair"
"$bench" merge --db "$db" --runs "${RUNS:-5}"
