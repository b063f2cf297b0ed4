# Pages written to the WAL per group of 20 purchase-shaped writes, by part (ledger, chain/tree link, order row), on a
# copy of each database given (from `Marketplace.Bench grow N --database <file>`), with random (v4) and time-ordered
# (v7) order ids. Counts WAL frames with auto-checkpoints off, so the figure is pages, not time: load does not move it.
#   python3 bench/wal-pages.py /tmp/small/marketplace.db /tmp/big/marketplace.db
import sqlite3, shutil, os, uuid, random, hashlib, time, sys
def v7():
    ms = int(time.time()*1000); r = random.getrandbits(74)
    b = (ms << 80) | (0x7 << 76) | ((r >> 62) << 64) | (0b10 << 62) | (r & ((1<<62)-1))
    return uuid.UUID(int=b)
def run(src, idkind, groups=50, size=20):
    dst = os.path.join(os.path.dirname(os.path.abspath(src)), 'wal-pages-copy.db')
    for s in ('', '-wal', '-shm'):
        if os.path.exists(dst+s): os.remove(dst+s)
    shutil.copy(src, dst)
    c = sqlite3.connect(dst, isolation_level=None)
    c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0'); c.execute('pragma synchronous=full')
    users = [r[0] for r in c.execute("select OwnerId from accounts where Kind=1 and OwnerId is not null")]
    acc = {r[0]: r[1] for r in c.execute("select OwnerId, Id from accounts where Kind=1 and OwnerId is not null")}
    seller = users[0]; revenue = c.execute("select Id from accounts where Code like 'platform:revenue%' or Code like '%revenue%' limit 1").fetchone()[0]
    product = c.execute("select Id from products limit 1").fetchone()[0]
    pages = {'ledger': 0, 'link': 0, 'order': 0}
    def frames():
        p = dst + '-wal'
        return (os.path.getsize(p) - 32) // (4096 + 24) if os.path.exists(p) else 0
    for g in range(groups):
        buyers = [random.choice(users) for _ in range(size)]
        nonces = [uuid.uuid4().hex for _ in range(size)]
        f0 = frames(); c.execute('begin immediate'); txids = []
        for b, n in zip(buyers, nonces):
            t = c.execute("insert into ledger_transactions (Kind, IdempotencyKey, ContentHash, Description, CreatedAt) values (3, ?, ?, 'Purchase', '2026-12-01 19:00:00.1234567') returning Id", ('spend:%s:%s' % (b.replace('-','').lower(), n), hashlib.sha256(n.encode()).hexdigest())).fetchone()[0]
            txids.append(t)
            for a, d in ((acc[b], -200), (acc[seller], 180), (revenue, 20)):
                c.execute("update accounts set Balance = Balance + ? where Id = ?", (d, a))
                c.execute("insert into ledger_entries (TransactionId, AccountId, Amount, BalanceAfter) values (?, ?, ?, 0)", (t, a, d))
        c.execute('commit'); f1 = frames(); pages['ledger'] += f1 - f0
        c.execute('begin immediate')
        leaf = c.execute("select coalesce(max(LeafIndex), -1) from ledger_transactions").fetchone()[0]
        for t in txids:
            leaf += 1
            c.execute("update ledger_transactions set PreviousHash = ?, Hash = ?, LeafIndex = ? where Id = ?", (os.urandom(32).hex(), os.urandom(32).hex(), leaf, t))
            c.execute("insert or replace into ledger_tree_nodes (Level, Position, Hash) values (0, ?, ?)", (leaf, os.urandom(32)))
        c.execute('commit'); f2 = frames(); pages['link'] += f2 - f1
        c.execute('begin immediate')
        for b, n, t in zip(buyers, nonces, txids):
            oid = str(uuid.uuid4() if idkind == 'random' else v7()).upper()
            c.execute("insert into orders (Id, Kind, Status, BuyerId, SellerId, ProductId, Quantity, UnitPriceUnits, TotalUnits, CommissionUnits, Nonce, IntentSha256, Receipt, ReceiptSignature, BalanceAfterUnits, LedgerTransactionId, CreatedAt, UpdatedAt) values (?, 1, 1, ?, ?, ?, 1, 200, 200, 20, ?, ?, ?, ?, 0, ?, '2026-12-01 19:00:00.1234567', '2026-12-01 19:00:00.1234567')",
                      (oid, b, seller, product, n, 'a'*64, 'r'*330, 's'*86, t))
        c.execute('commit'); pages['order'] += frames() - f2
    c.close()
    for s in ('', '-wal', '-shm'):
        if os.path.exists(dst + s): os.remove(dst + s)
    return {k: round(v / groups, 1) for k, v in pages.items()}
for src in sys.argv[1:]:
    for kind in ('random', 'v7', 'random', 'v7'):
        print(src, kind, run(src, kind), flush=True)
