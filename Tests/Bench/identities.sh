#!/usr/bin/env bash
# Issue 19's benchmark: a 1M-member / 5M-order shop (gen_shop.py) plus 300k JD and 100k offline
# identities, 30% of them sharing a phone with an existing member (gen_channels.py).
#   Tests/Bench/identities.sh [MEMBERS] [ORDERS] [JD] [OFFLINE] [WORKDIR] [RUNS]
# Prints: the base import (setup, once), then per run the extra channels' import with phone linking
# (the four files in one `ecrm import jd members … orders … offline members … orders …`;
# IDENTITIES_PER_CHANNEL=1: one import per channel, as measured before) (wall and CPU) next to `sqlite3 .import` of the same four files into keyed tables (wall and CPU),
# then search by any identity (p50/p95), card open with 5 identities and the channels view.
# The machine may be shared: CPU seconds (user+sys) and the load average are printed with each figure.
set -euo pipefail
members=${1:-1000000}
orders=${2:-5000000}
jd=${3:-300000}
offline=${4:-100000}
work=${5:-/tmp/ecrm-bench-identities}
runs=${6:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
gen="$here/../shared/tools/gen_shop.py"
[ -f "$gen" ] || gen=/work/shared/tools/gen_shop.py
mkdir -p "$work"
data="$work/shop-$members-$orders"
if [ ! -f "$data/orders.csv" ]; then
  echo "generating $members members / $orders orders into $data ..."
  python3 "$gen" "$data" "$members" "$orders"
fi
if [ ! -f "$data/offline_orders.csv" ] || [ "$(($(wc -l < "$data/jd_members.csv") - 1))" != "$jd" ]; then
  echo "generating $jd JD and $offline offline identities (30% sharing phones) ..."
  python3 "$here/Tests/Bench/gen_channels.py" "$data" "$jd" "$offline"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 CLI missing: apt-get install -y sqlite3"; exit 1; }
(cd "$here" && swift build -c release --product ecrm-bench >/dev/null)
bench="$here/.build/release/ecrm-bench"
load() { cut -d' ' -f1-3 /proc/loadavg; }

base="$work/base.sqlite"
if [ ! -f "$base" ]; then
  echo "== base store: ecrm import of $members members / $orders orders (setup; load $(load))"
  "$bench" import --db "$base.tmp" "$data/members.csv" "$data/orders.csv"
  for s in "" -wal -shm; do [ -f "$base.tmp$s" ] && mv "$base.tmp$s" "$base$s"; done
  rm -f "$base.tmp-writer"
fi

cpu() {  # cpu CMD... : runs it, prints "wall_s cpu_s" on the last line of stderr-free output
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time.txt"
}

for run in $(seq 1 "$runs"); do
  echo "== run $run (load $(load))"
  rm -f "$work/keyed.sqlite"
  read -r kw kc < <(cpu sqlite3 "$work/keyed.sqlite" <<SQL
CREATE TABLE jd_members(buyer_id TEXT PRIMARY KEY,nick,name,phone,gender,birthday,province,city,joined_at);
CREATE TABLE jd_orders(order_id TEXT PRIMARY KEY,buyer_id,buyer_nick,paid_at,amount,status,items);
CREATE TABLE offline_members(buyer_id TEXT PRIMARY KEY,nick,name,phone,gender,birthday,province,city,joined_at);
CREATE TABLE offline_orders(order_id TEXT PRIMARY KEY,buyer_id,buyer_nick,paid_at,amount,status,items);
.mode csv
.import --skip 1 $data/jd_members.csv jd_members
.import --skip 1 $data/jd_orders.csv jd_orders
.import --skip 1 $data/offline_members.csv offline_members
.import --skip 1 $data/offline_orders.csv offline_orders
SQL
)
  rm -f "$work/keyed.sqlite"
  echo "sqlite3_import_keyed_s=$kw sqlite3_import_keyed_cpu_s=$kc"
  for s in "" -wal -shm; do rm -f "$work/run.sqlite$s"; [ -f "$base$s" ] && cp "$base$s" "$work/run.sqlite$s"; done
  "$bench" identities-import --db "$work/run.sqlite" ${IDENTITIES_PER_CHANNEL:+--per-channel} "$data" | tee "$work/identities-import.txt"
  ew=$(grep -o 'identities_import_s=[0-9.]*' "$work/identities-import.txt" | cut -d= -f2)
  ec=$(grep -o 'identities_import_cpu_s=[0-9.]*' "$work/identities-import.txt" | cut -d= -f2)
  echo "identities_import_vs_sqlite3_keyed wall_ratio=$(echo "scale=2; $ew / $kw" | bc) cpu_ratio=$(echo "scale=2; $ec / $kc" | bc)"
done

echo "== search by any identity, card open with 5 identities, channels view (load $(load))"
"$bench" identities --db "$work/run.sqlite" --runs "$runs"
