#!/usr/bin/env python3
"""A day's orders for the reliability benchmark: N orders with ids from START (so every file adds
new orders and a lost write shows as a missing id), buyers among MEMBERS gen_shop.py buyers.
Usage: daily_orders.py OUT N START MEMBERS SEED"""
import csv, random, sys
out, n, start, members, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(seed)
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["order_id", "buyer_id", "buyer_nick", "paid_at", "amount", "status", "items"])
    for j in range(n):
        i = rnd.randrange(members)
        w.writerow([start + j, f"b{i:08d}", "", f"2026-11-{1 + rnd.randrange(19):02d} {rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00",
                    f"{rnd.lognormvariate(4.6, .8):.2f}", "paid", 1 + rnd.randrange(3)])
