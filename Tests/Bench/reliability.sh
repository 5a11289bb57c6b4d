#!/usr/bin/env bash
# Reliability benchmark for issue 15 ("writers wait their turn; every change is one transaction").
#   Tests/Bench/reliability.sh [BIN_DIR] [ROUNDS] [KILLS] [MEMBERS] [WORKDIR]
# BIN_DIR holds the `ecrm` to measure (default .build/release when built, else .build/debug: a debug
# console spends about 3x the CPU on a key); the census (counts + integrity_check)
# always comes from this checkout's ecrm-bench (or $CENSUS), so an older ecrm can be measured the same way.
# Part 1, ROUNDS rounds (default 20) on a MEMBERS-member store (default 100,000): 8 concurrent
#   writers (3 imports of 5,000 new orders, 1 tier draft+publish, 3 bulk tags of a new tag, 1 single
#   tag) with 4 readers looping and a console pressing `j` 60 times, measured by keylat.py (bytes
#   after a key in a pty, like ptybytes.py, done when the new list position is on the screen, so a
#   redraw for another process's commit is not counted as the key's); prints failed writes
#   (non-zero exit), lost writes (a success whose effect is missing) and the console's p95, with
#   the load average and the p95 less the time the console and the measurer waited for a CPU.
# Part 2, KILLS kill -9 (default 50) at random moments (seed 15) of an import, a publish and a bulk
#   tag on a copy of the store: prints partial states (neither before nor after) and integrity.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
default_bin=$here/.build/debug
[ -x "$here/.build/release/ecrm" ] && default_bin=$here/.build/release
bin=$(cd "${1:-$default_bin}" && pwd)
rounds=${2:-20}
kills=${3:-50}
members=${4:-100000}
work=${5:-/tmp/ecrm-reliability}
ecrm="$bin/ecrm"
census=${CENSUS:-$here/.build/debug/ecrm-bench}
[ -x "$census" ] || census="$here/.build/release/ecrm-bench"
keylat="$here/Tests/Bench/keylat.py"
python3 -c 'import pyte' 2>/dev/null || { echo "keylat.py needs pyte: pip install pyte"; exit 1; }
gen="$here/../shared/tools/gen_shop.py"
[ -f "$gen" ] || gen=/work/shared/tools/gen_shop.py
mkdir -p "$work"
export LANG=C.UTF-8
data="$work/shop-$members"
if [ ! -f "$data/orders.csv" ]; then
  echo "generating $members members / $((members * 5)) orders into $data ..."
  python3 "$gen" "$data" "$members" "$((members * 5))" 7 >/dev/null
fi
base="$work/base-$members.db"
if [ ! -f "$base" ]; then
  echo "loading the base store ..."
  "$ecrm" import members "$data/members.csv" orders "$data/orders.csv" --db "$base" >/dev/null
  "$ecrm" rfm --as-of 2026-11-20 --db "$base" >/dev/null
fi
# The writers run as `nice -n $WRITER_NICE ecrm …` (default 0: as a user runs them), to see what the
# console gets when batch changes yield the CPU to it.
writer=(nice -n "${WRITER_NICE:-0}" "$ecrm")
# `tags apply --create` (one transaction) where this ecrm has it; else create, then apply.
create_flag=""
"$ecrm" tags apply --help 2>&1 | grep -q -- '--create' && create_flag="--create"
# One census (counts + integrity_check) per look, kept in a file; `field FILE EXPR` reads it.
snap() { "$census" census --db "$1" > "$2"; }
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))" "$1" "$2"; }

db="$work/run.db"
rm -f "$db" "$db"-wal "$db"-shm "$db"-writer "$db"-journal
cp "$base" "$db"
echo "== part 1: $rounds rounds of 8 writers + 4 readers + a console (ecrm: $ecrm)"
# Console key-to-screen on the idle store first: the figure to compare with.
# `console OUT`: keylat.py's line, with the 1-minute load average before it.
console() { echo "load=$(cut -d' ' -f1 /proc/loadavg) $(python3 "$keylat" --keys 60 --startup 20 -- "$ecrm" --db "$db" --lang zh 2>&1 | tail -1)" > "$1"; }
kv() { tr ' ' '\n' < "$1" | sed -n "s/^$2=//p"; }
console "$work/idle.console"
idle=$(kv "$work/idle.console" p95_ms)
echo "  idle console: $(cat "$work/idle.console")"
snap "$db" "$work/census.json"
failed=0; lost=0; writes=0; readfail=0; p95s=(); own=(); cons=(); loads=(); loop=()
for r in $(seq 1 "$rounds"); do
  logs="$work/round"; rm -rf "$logs"; mkdir -p "$logs"
  orders_before=$(field "$work/census.json" orders)
  tiers_before=$(field "$work/census.json" tierVersions)
  for k in 1 2 3; do
    python3 "$here/Tests/Bench/daily_orders.py" "$logs/o$k.csv" 5000 $((7000000000 + r * 100000 + k * 10000)) "$members" $((r * 10 + k))
  done
  # Readers until the writers are done.
  touch "$logs/running"
  for q in 1 2 3 4; do
    ( while [ -f "$logs/running" ]; do
        case $q in
          1) "$ecrm" search 王 --limit 20 --db "$db" ;;
          2) "$ecrm" member show b00000042 --db "$db" ;;
          3) "$ecrm" tiers show --db "$db" ;;
          4) "$ecrm" tags list --db "$db" ;;
        esac >/dev/null 2>>"$logs/reader$q.err" || echo x >> "$logs/readfail"
      done ) &
  done
  ( console "$logs/console" ) &
  console=$!
  pids=()
  for k in 1 2 3; do ( "${writer[@]}" import orders "$logs/o$k.csv" --db "$db" > "$logs/w-import$k.out" 2>&1; echo $? > "$logs/w-import$k.rc" ) & pids+=($!); done
  ( threshold=$((40 + r % 2 * 10))
    "${writer[@]}" tiers draft --level 1 --threshold "$threshold" --db "$db" --lang en > "$logs/w-publish.out" 2>&1 &&
    "${writer[@]}" tiers publish --yes --db "$db" --lang en >> "$logs/w-publish.out" 2>&1; echo $? > "$logs/w-publish.rc" ) & pids+=($!)
  provinces=(广东 浙江 江苏)
  for k in 1 2 3; do
    ( name="rel-$r-$k"
      if [ -z "$create_flag" ]; then "${writer[@]}" tags create "$name" --db "$db" > "$logs/w-tag$k.out" 2>&1 || { echo $? > "$logs/w-tag$k.rc"; exit; }; fi
      "${writer[@]}" tags apply "$name" --province "${provinces[$((k - 1))]}" --yes $create_flag --db "$db" >> "$logs/w-tag$k.out" 2>&1; echo $? > "$logs/w-tag$k.rc" ) & pids+=($!)
  done
  ( "${writer[@]}" tags add "one-$r" b00000007 --db "$db" > "$logs/w-one.out" 2>&1 || true
    grep -q "no tag" "$logs/w-one.out" && { "${writer[@]}" tags create "one-$r" --db "$db" > "$logs/w-one.out" 2>&1 && "${writer[@]}" tags add "one-$r" b00000007 --db "$db" >> "$logs/w-one.out" 2>&1; }
    echo $? > "$logs/w-one.rc" ) & pids+=($!)
  for p in "${pids[@]}"; do wait "$p"; done
  rm -f "$logs/running"
  wait "$console"
  wait
  # Failed writes: a writer that exited non-zero. Lost writes: a success whose effect is missing.
  for f in "$logs"/w-*.rc; do
    writes=$((writes + 1))
    [ "$(cat "$f")" = 0 ] || { failed=$((failed + 1)); echo "  round $r: $(basename "$f" .rc) failed: $(tail -1 "${f%.rc}.out")"; }
  done
  ok_imports=$(grep -l '^0$' "$logs"/w-import*.rc 2>/dev/null | wc -l)
  snap "$db" "$work/census.json"
  orders_after=$(field "$work/census.json" orders)
  [ $((orders_after - orders_before)) = $((ok_imports * 5000)) ] || { lost=$((lost + 1)); echo "  round $r: orders +$((orders_after - orders_before)), expected +$((ok_imports * 5000))"; }
  if [ "$(cat "$logs/w-publish.rc")" = 0 ]; then
    [ "$(field "$work/census.json" tierVersions)" = $((tiers_before + 1)) ] || { lost=$((lost + 1)); echo "  round $r: publish lost"; }
  fi
  for k in 1 2 3; do
    if [ "$(cat "$logs/w-tag$k.rc")" = 0 ]; then
      want=$(grep -o 'tagged [0-9,]* members' "$logs/w-tag$k.out" | tr -dc '0-9')
      got=$(field "$work/census.json" "tagMembers.get('rel-$r-$k', -1)")
      [ "$want" = "$got" ] || { lost=$((lost + 1)); echo "  round $r: bulk tag $k: $got members, said $want"; }
    fi
  done
  [ -f "$logs/readfail" ] && readfail=$((readfail + $(wc -l < "$logs/readfail")))
  p95s+=("$(kv "$logs/console" p95_ms)"); own+=("$(kv "$logs/console" unqueued_p95_ms)"); cons+=("$(kv "$logs/console" console_p95_ms)"); loads+=("$(kv "$logs/console" load)")
  loop+=("$(kv "$logs/console" loop_cpu_p95_ms)")
  echo "  round $r: writers ok $(grep -l '^0$' "$logs"/w-*.rc | wc -l)/8, console: $(cat "$logs/console")"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p95_max=$(printf '%s\n' "${p95s[@]}" | sort -n | tail -1)
echo "writes=$writes failed_writes=$failed lost_writes=$lost failed_reads=$readfail"
echo "console_p95_idle_ms=$idle (load $(kv "$work/idle.console" load), less CPU waits $(kv "$work/idle.console" unqueued_p95_ms), less the measurer's waits $(kv "$work/idle.console" console_p95_ms), key loop CPU p95 $(kv "$work/idle.console" loop_cpu_p95_ms) ms)"
echo "console_p95_under_load_median_ms=$(median "${p95s[@]}") console_p95_under_load_max_ms=$p95_max less_cpu_waits_median_ms=$(median "${own[@]}") less_measurer_waits_median_ms=$(median "${cons[@]}") less_measurer_waits_max_ms=$(printf '%s\n' "${cons[@]}" | sort -n | tail -1) key_loop_cpu_p95_median_ms=$(median "${loop[@]}") load_median=$(median "${loads[@]}")"
echo "integrity=$(field "$work/census.json" integrity)"

echo "== part 2: $kills kill -9 across import, publish and bulk tag"
trial="$work/kill.db"
python3 "$here/Tests/Bench/daily_orders.py" "$work/kill-orders.csv" 5000 6000000000 "$members" 99
"$ecrm" tiers draft --level 1 --threshold 30 --db "$base" >/dev/null 2>&1
[ -z "$create_flag" ] && "$ecrm" tags create 杀九 --db "$base" >/dev/null 2>&1
state() { snap "$1" "$work/kill.json"; python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('integrity'); print(json.dumps(d, sort_keys=True))" "$work/kill.json"; }
fresh() { rm -f "$trial" "$trial"-wal "$trial"-shm "$trial"-journal "$trial"-writer; cp "$base" "$trial"; }
before=$(state "$base")
actions=("import orders $work/kill-orders.csv" "tiers publish --yes" "tags apply 杀九 --province 广东 --yes $create_flag")
declare -A after duration
for i in 0 1 2; do
  fresh
  s=$(date +%s%N); "$ecrm" ${actions[$i]} --db "$trial" >/dev/null 2>&1; e=$(date +%s%N)
  duration[$i]=$(( (e - s) / 1000000 ))
  after[$i]=$(state "$trial")
  echo "  '${actions[$i]%% --*}' runs ${duration[$i]} ms unkilled"
done
partial=0; bad=0; RANDOM=15
for n in $(seq 1 "$kills"); do
  i=$((n % 3))
  fresh
  delay=$((RANDOM % (duration[$i] + 1)))
  "$ecrm" ${actions[$i]} --db "$trial" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  now=$(state "$trial")
  integ=$(field "$work/kill.json" integrity)
  [ "$integ" = ok ] || { bad=$((bad + 1)); echo "  kill $n: integrity $integ"; }
  if [ "$now" != "$before" ] && [ "$now" != "${after[$i]}" ]; then partial=$((partial + 1)); echo "  kill $n (${actions[$i]%% *} at ${delay} ms): partial state"; fi
done
echo "kills=$kills partial_states=$partial integrity_failures=$bad"
