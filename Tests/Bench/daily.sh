#!/usr/bin/env bash
# The daily import (issue 18 target: ≤ 1 s end to end): a day's file of ORDERS new orders
# (daily_orders.py, buyers among the store's members) imported by `ecrm import orders` exactly as a
# shop runs it (RFM follows as of today, in the same transaction), into a fresh copy of STORE each run.
#   Tests/Bench/daily.sh [BIN_DIR] [STORE] [RUNS] [ORDERS]
# BIN_DIR holds the `ecrm` to measure (default .build/release), STORE a loaded store (default the
# 1M-member one bench.sh leaves); DAILY_RFM_AS_OF=YYYY-MM-DD first stores RFM as of that day (the
# first import of a new day: DAILY_RFM_AS_OF=$(date -d yesterday +%F)). Unless DAILY_YESTERDAY=0, the
# runs start from STORE after one more day's import by the same binary ("yesterday's"), with the
# -wal it keeps. Prints each run's wall and CPU (user+sys) seconds, then medians.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "${1:-$here/.build/release}" && pwd)
store=${2:-/tmp/ecrm-bench/ecrm.sqlite}
runs=${3:-5}
orders=${4:-5000}
work=${DAILY_WORK:-/tmp/ecrm-daily-$$}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
members=$(sqlite3 -readonly "$store" "SELECT max(id) FROM member")
python3 "$here/Tests/Bench/daily_orders.py" "$work/daily.csv" "$orders" 9000000000 "$members" 18
if [ "${DAILY_YESTERDAY:-1}" = 1 ] || [ -n "${DAILY_RFM_AS_OF:-}" ]; then
  # Every run starts from a copy of one source made here with the binary measured, and the files
  # it leaves beside it (ecrm keeps the store's -wal between sessions: KeptWAL.swift).
  cp "$store" "$work/source.sqlite"
  if [ "${DAILY_YESTERDAY:-1}" = 1 ]; then
    # The store as a shop has it: yesterday's daily import (other order ids) was its last big write.
    python3 "$here/Tests/Bench/daily_orders.py" "$work/yesterday.csv" "$orders" 8000000000 "$members" 17
    "$bin/ecrm" import orders "$work/yesterday.csv" --db "$work/source.sqlite" > /dev/null
  fi
  if [ -n "${DAILY_RFM_AS_OF:-}" ]; then
    # The first import of a new day: the stored RFM is as of DAILY_RFM_AS_OF (e.g. `date -d yesterday +%F`).
    "$bin/ecrm" rfm --db "$work/source.sqlite" --as-of "$DAILY_RFM_AS_OF" > /dev/null
  fi
  store="$work/source.sqlite"
fi
walls=(); cpus=()
for r in $(seq 1 "$runs"); do
  rm -f "$work"/copy.sqlite*
  cp "$store" "$work/copy.sqlite"
  [ -s "$store-wal" ] && cp "$store-wal" "$work/copy.sqlite-wal"
  # A shop's store is a settled file, not a gigabyte copied a moment ago: without this the kernel is
  # still allocating and writing back the fresh copy while the import runs (about 0.2 s more at 1M).
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$bin/ecrm" import orders "$work/daily.csv" --db "$work/copy.sqlite" > "$work/out.txt"
  read -r wall user sys rss < "$work/time.txt"
  cpu=$(echo "$user + $sys" | bc)
  walls+=("$wall"); cpus+=("$cpu")
  echo "  run $r: wall ${wall} s, cpu ${cpu} s, peak ${rss} KiB: $(tail -1 "$work/out.txt")"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "daily_orders=$orders runs=$runs daily_wall_median_s=$(med "${walls[@]}") daily_cpu_median_s=$(med "${cpus[@]}") load=$(cut -d' ' -f1-3 /proc/loadavg)"
