#!/usr/bin/env python3
"""Which tables and indexes a write changed, in 4 KB pages: what a daily import's commit and
checkpoint pay for (every changed page is a WAL frame, copied into the store after).

  Tests/Bench/changed_pages.py BEFORE.sqlite AFTER.sqlite

Both files must be checkpointed copies (sqlite3 X "PRAGMA wal_checkpoint(TRUNCATE)" on copies of
the store and its -wal). Pages are named by AFTER's dbstat. At 1M members, the first import of a
new day (daily.sh with DAILY_RFM_AS_OF) changed ~42,700 pages, ~24,400 of them member_rfm's: the
table (8,300 of its 10,000) and its five indexes, most of whose pages hold an entry of a member
who bought (last_paid moves) or was measured again.
"""
import collections
import subprocess
import sys

before, after = sys.argv[1:3]
names = {}
out = subprocess.run(["sqlite3", "-readonly", after, "SELECT pageno, name FROM dbstat"], capture_output=True, text=True, check=True).stdout
for line in out.splitlines():
    page, name = line.split("|", 1)
    names[int(page)] = name
size = 4096
counts = collections.Counter()
with open(before, "rb") as fa, open(after, "rb") as fb:
    page = 1
    while True:
        x, y = fa.read(size * 256), fb.read(size * 256)
        if not y:
            break
        for i in range(0, len(y), size):
            if x[i:i + size] != y[i:i + size]:
                counts[names.get(page + i // size, "free/other")] += 1
        page += len(y) // size
print(f"changed_pages={sum(counts.values())}")
for name, n in counts.most_common():
    print(f"{n:8d} {name}")
