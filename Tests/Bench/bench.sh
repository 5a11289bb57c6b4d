#!/usr/bin/env bash
# Benchmark for the issue targets, on a generated 1M-member / 5M-order shop by default.
#   Tests/Bench/bench.sh [MEMBERS] [ORDERS] [WORKDIR]     (BENCH_SEPARATE=1 also times two imports)
# Prints, in one run on this machine: `sqlite3 .import` of the same CSV files into bare tables
# (the baseline), ecrm's import (with aggregates and indexes) and its peak memory, and RFM recompute.
set -euo pipefail
members=${1:-1000000}
orders=${2:-5000000}
work=${3:-/tmp/ecrm-bench}
here=$(cd "$(dirname "$0")/../.." && pwd)
gen="$here/../shared/tools/gen_shop.py"
mkdir -p "$work"
data="$work/shop-$members-$orders"
if [ ! -f "$data/orders.csv" ]; then
  echo "generating $members members / $orders orders into $data ..."
  python3 "$gen" "$data" "$members" "$orders"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing: apt-get install -y sqlite3"; exit 1; }
(cd "$here" && swift build -c release --product ecrm-bench >/dev/null)
bench="$here/.build/release/ecrm-bench"

echo "== baseline: sqlite3 .import into bare tables"
rm -f "$work/baseline.sqlite"
start=$(date +%s.%N)
sqlite3 "$work/baseline.sqlite" <<SQL
CREATE TABLE members(buyer_id,nick,name,phone,gender,birthday,province,city,joined_at);
CREATE TABLE orders(order_id,buyer_id,buyer_nick,paid_at,amount,status,items);
.mode csv
.import --skip 1 $data/members.csv members
.import --skip 1 $data/orders.csv orders
SQL
end=$(date +%s.%N)
baseline=$(echo "$end - $start" | bc)
echo "sqlite3_import_s=$baseline"

# The issue-18 baseline: keyed tables (order ids unique as text), as a store must keep them.
keyed() {  # keyed ORDERS_FILE -> seconds
  rm -f "$work/keyed.sqlite"
  local s e
  s=$(date +%s.%N)
  sqlite3 "$work/keyed.sqlite" <<SQL
CREATE TABLE members(buyer_id TEXT PRIMARY KEY,nick,name,phone,gender,birthday,province,city,joined_at);
CREATE TABLE orders(order_id TEXT PRIMARY KEY,buyer_id,buyer_nick,paid_at,amount,status,items);
.mode csv
.import --skip 1 $data/members.csv members
.import --skip 1 $1 orders
SQL
  e=$(date +%s.%N)
  rm -f "$work/keyed.sqlite"
  echo "$e - $s" | bc
}
keyed_numeric=$(keyed "$data/orders.csv")
echo "sqlite3_import_keyed_s=$keyed_numeric"

echo "== ecrm import members M orders O (one import; includes aggregates, indexes, search)"
"$bench" import --db "$work/ecrm.sqlite" "$data/members.csv" "$data/orders.csv" | tee "$work/import.txt"
total=$(grep -o 'import_total_s=[0-9.]*' "$work/import.txt" | cut -d= -f2)
echo "import_vs_sqlite3_ratio=$(echo "scale=2; $total / $baseline" | bc)"
echo "import_vs_sqlite3_keyed_ratio=$(echo "scale=2; $total / $keyed_numeric" | bc)"
if [ "${BENCH_TEXT:-1}" = 1 ]; then
  # The same shop with text order numbers (E + the number), as Youzan writes them.
  [ -f "$data/orders-text.csv" ] || awk 'NR == 1 { print; next } { print "E" $0 }' "$data/orders.csv" > "$data/orders-text.csv"
  keyed_text=$(keyed "$data/orders-text.csv")
  echo "sqlite3_import_keyed_text_s=$keyed_text"
  echo "== ecrm import members M orders O-text (text order numbers)"
  "$bench" import --db "$work/ecrm-text.sqlite" "$data/members.csv" "$data/orders-text.csv" | tee "$work/import-text.txt"
  total_text=$(grep -o 'import_total_s=[0-9.]*' "$work/import-text.txt" | cut -d= -f2)
  echo "import_text_vs_sqlite3_keyed_ratio=$(echo "scale=2; $total_text / $keyed_text" | bc)"
fi
if [ "${BENCH_SEPARATE:-0}" = 1 ]; then
  echo "== ecrm import members M, then ecrm import orders O (two imports, search built twice)"
  "$bench" import --separate --db "$work/ecrm.sqlite" "$data/members.csv" "$data/orders.csv" | tee "$work/import2.txt"
  total2=$(grep -o 'import_total_s=[0-9.]*' "$work/import2.txt" | cut -d= -f2)
  echo "import_separate_vs_sqlite3_ratio=$(echo "scale=2; $total2 / $baseline" | bc)"
fi

echo "== RFM recompute"
"$bench" rfm --db "$work/ecrm.sqlite" --runs 5

if [ "${BENCH_IDENTITIES:-1}" = 1 ]; then
  # Issue 19: 300k JD and 100k offline identities (30% sharing an existing member's phone) imported
  # with phone links, beside sqlite3 .import of the same files; search by an identity; 5-identity cards.
  # Last: it adds identities to the store.
  echo "== identities (JD 300k, offline 100k, phone links)"
  "$bench" identities-members --db "$work/ecrm.sqlite" --dir "$work/identities" --runs 5
fi
