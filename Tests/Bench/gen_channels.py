#!/usr/bin/env python3
"""Extra channels for a gen_shop.py shop (issue 19's benchmark): JD accounts and offline member cards.

Usage: gen_channels.py SHOP_DIR JD OFFLINE [SEED] [SHARE] [ORDERS_PER_IDENTITY]
Reads SHOP_DIR/members.csv (for the phones) and writes, in the generic import format:
  jd_members.csv, jd_orders.csv            JD accounts (jd_0000001…), orders JD100000001…
  offline_members.csv, offline_orders.csv  member cards (C00000001…), POS receipts S01-000000001…
SHARE (default 0.3) of each channel's identities carry the mobile number of a different existing
member (so they link by phone on import); the rest have new numbers. Each identity has on average
ORDERS_PER_IDENTITY (default 2) orders, paid mostly.
"""
import csv, os, random, sys, datetime as dt

def main():
    shop, n_jd, n_off = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    share = float(sys.argv[5]) if len(sys.argv) > 5 else 0.3
    per = float(sys.argv[6]) if len(sys.argv) > 6 else 2.0
    rnd = random.Random(seed)
    phones = []
    with open(os.path.join(shop, "members.csv"), newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            phones.append(row[3])
    used = set(phones)
    # Distinct existing members across both channels: a member shares with at most one new identity
    # per channel (a second one in the same channel would be a candidate, not a link).
    shared_jd = rnd.sample(range(len(phones)), int(n_jd * share))
    shared_off = rnd.sample(range(len(phones)), int(n_off * share))
    start = dt.datetime(2025, 1, 1)
    span = (dt.datetime(2026, 11, 1) - start).total_seconds()

    def new_phone():
        while True:
            p = "1" + rnd.choice("3456789") + "".join(rnd.choice("0123456789") for _ in range(9))
            if p not in used:
                used.add(p)
                return p

    def write(prefix, n, shared, ident, order_no, nick_word):
        share_at = set(rnd.sample(range(n), len(shared)))
        it = iter(shared)
        ids = []
        with open(os.path.join(shop, prefix + "_members.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["buyer_id", "nick", "name", "phone", "gender", "birthday", "province", "city", "joined_at"])
            for i in range(n):
                phone = phones[next(it)] if i in share_at else new_phone()
                joined = (start + dt.timedelta(seconds=rnd.random() * span * .9)).strftime("%Y-%m-%d %H:%M:%S")
                w.writerow([ident(i), f"{nick_word}{i}", "", phone, rnd.choice("FFMU"), "", "", "", joined])
                ids.append(ident(i))
        k = 0
        with open(os.path.join(shop, prefix + "_orders.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["order_id", "buyer_id", "buyer_nick", "paid_at", "amount", "status", "items"])
            for _ in range(int(n * per)):
                b = rnd.randrange(n)
                t = start + dt.timedelta(seconds=rnd.random() ** .7 * span)
                amt = round(min(rnd.lognormvariate(4.4, .8), 20000), 2)
                status = "refunded" if rnd.random() < .04 else ("closed" if rnd.random() < .03 else "paid")
                w.writerow([order_no(k), ids[b], f"{nick_word}{b}", t.strftime("%Y-%m-%d %H:%M:%S"), f"{amt:.2f}", status, 1 + int(rnd.expovariate(.8))])
                k += 1

    write("jd", n_jd, shared_jd, lambda i: f"jd_{i:07d}", lambda k: f"JD{100000000 + k}", "京东买家")
    write("offline", n_off, shared_off, lambda i: f"C{i:08d}", lambda k: f"S01-{k:09d}", "门店会员")

if __name__ == "__main__":
    main()
