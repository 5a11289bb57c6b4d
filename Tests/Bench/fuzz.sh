#!/usr/bin/env bash
# libFuzzer on the CSV reader (issue 15): no crash, no hang, records independent of chunk size.
#   Tests/Bench/fuzz.sh [SECONDS] [extra libFuzzer flags]
# The target is compiled straight from Sources/CSVStream with swiftc (the package build is not
# touched); crashes land in the working directory as crash-* files, replayable with the binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_DIR:-/tmp/ecrm-fuzz}
mkdir -p "$out/corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name CSVFuzz \
  "$here"/Sources/CSVStream/*.swift "$here/Tests/Fuzz/CSVReaderFuzz.swift" -o "$out/csv-reader-fuzz"
# Seed corpus: a few real rows (UTF-8, GBK, quotes, CRLF).
printf 'order_id,buyer_id,buyer_nick,paid_at,amount\n1,b1,小明,2026-01-05 10:00:00,12.50\n' > "$out/corpus/utf8.csv"
printf 'a,"b\r\nc",d\r\n"x""y",z\n' > "$out/corpus/quotes.csv"
printf '1,\xd5\xc5\xc8\xfd,\xb1\xb1\xbe\xa9\n' > "$out/corpus/gbk.csv"
seconds=${1:-60}
shift || true
cd "$out" && ./csv-reader-fuzz -max_total_time="$seconds" -max_len=512 -timeout=5 "$@" corpus
