/**
 * The SQLite store's indexes: tables of labels, owner uids and uids, so that label selectors, the garbage collector
 * and uid lookups are answered from the database rather than from maps of every object in memory. A database
 * written before these tables existed is indexed once on open.
 *
 * Index rows are written in bulk rather than with each object write: a created object adds a row per label plus
 * owner and uid rows, each on a different B-tree page, and writing those pages at every commit was half of the
 * commit's cost. Changes wait in memory (index-pending.ts) and are written about once a second, before a label
 * query, and at close. Lookups see them meanwhile. The once-a-second write goes in key order, in slices of
 * {@link SLICE} rows, one transaction per turn of the event loop: a second's worth under load (10,000+ rows,
 * 40–60 ms) in one go held up every request in flight and set the EventListener's p99 latency. While changes wait,
 * the database is marked (user_version) so that a process killed before writing them has its indexes rebuilt from
 * the objects on the next open: the objects themselves are committed with each write as before, so nothing is lost.
 */
import type Database from 'better-sqlite3';
import type { KubeObject } from '../../api/types.js';
import { IndexChanges, addrKey, replayChange, type Change, type ChangeSink, type LabelRow } from './index-pending.js';
import { indexStatements, type IndexStatements } from './store-sqlite-index-sql.js';
import type { Addr } from './store-table.js';

/** The schema version once the index tables are filled (2: one B-tree for labels, keyed by label first). */
const INDEXED = 2;
/** user_version while index changes wait in memory: any value below INDEXED makes the next open rebuild. */
const PENDING = 1;
/** Waiting changes are written after this long, or at this many. */
const FLUSH_MS = 1000;
const FLUSH_AT = 20_000;
/** Rows per transaction when the waiting changes are written in the background (a few ms each). */
export const SLICE = 1_000;

/** Index upkeep and lookups over one database. */
export class SqliteIndexes {
  private readonly sql: IndexStatements;
  private readonly labelStmts = new Map<string, Database.Statement>();
  /** Committed changes not yet in the tables. */
  private pending = new IndexChanges();
  /** Older committed changes being written in slices: all of them, in write order, and the next to write. */
  private flushing?: { changes: IndexChanges; order: Change[]; next: number };
  private sliceQueued = false;
  /** Changes of the transaction in progress (into `pending` when it commits, dropped when it rolls back). */
  private staged = new IndexChanges();
  /** The database says changes wait (committed). */
  private markedPending = false;
  /** The transaction in progress wrote every change to the tables (a label query needed them there). */
  private direct = false;
  /** The transaction in progress set the mark. */
  private marking = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: Database.Database) {
    if ((db.pragma('user_version', { simple: true }) as number) < INDEXED) db.exec('DROP TABLE IF EXISTS labels; DROP INDEX IF EXISTS labels_kv;');
    this.sql = indexStatements(db);
    if ((db.pragma('user_version', { simple: true }) as number) < INDEXED) this.rebuild();
  }

  /**
   * Moves the indexes of one object from its state `before` to `after` (undefined: absent). Runs inside the
   * transaction of the object write; {@link committed} or {@link rolledBack} must follow it.
   */
  update(resource: string, namespace: string, name: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const bm = before?.metadata;
    const am = after?.metadata;
    // a status write over the stored object shares its labels and owner references: nothing to do
    if (bm && am && bm.labels === am.labels && bm.ownerReferences === am.ownerReferences && bm.uid === am.uid) return;
    const to = this.direct ? undefined : this.staged;
    const oldLabels = bm?.labels ?? {};
    const newLabels = am?.labels ?? {};
    for (const k in oldLabels) if (newLabels[k] !== oldLabels[k]) this.label([resource, k, String(oldLabels[k]), namespace, name], false, to);
    for (const k in newLabels) if (oldLabels[k] !== newLabels[k]) this.label([resource, k, String(newLabels[k]), namespace, name], true, to);
    const addr: Addr = { resource, namespace, name };
    const oldOwners = new Set((before?.metadata.ownerReferences ?? []).map((r) => r.uid));
    const newOwners = new Set((after?.metadata.ownerReferences ?? []).map((r) => r.uid));
    for (const o of oldOwners) if (!newOwners.has(o)) this.owner(o, addr, false, to);
    for (const o of newOwners) if (!oldOwners.has(o)) this.owner(o, addr, true, to);
    const oldUid = before?.metadata.uid;
    const newUid = after?.metadata.uid;
    if (oldUid && oldUid !== newUid) this.uid(oldUid, addr, false, to);
    if (newUid && newUid !== oldUid) this.uid(newUid, addr, true, to);
    if (to && !this.markedPending && !this.marking && to.size > 0) {
      this.db.pragma(`user_version = ${PENDING}`);
      this.marking = true;
    }
  }

  private label(row: LabelRow, add: boolean, to: IndexChanges | undefined): void {
    if (to) to.label(row, add);
    else if (add) this.sql.setLabel.run(...row);
    else this.sql.delLabel.run(...row);
  }

  private owner(owner: string, addr: Addr, add: boolean, to: IndexChanges | undefined): void {
    if (to) to.owner(owner, addr, add);
    else (add ? this.sql.addOwner : this.sql.delOwner).run(owner, addr.resource, addr.namespace, addr.name);
  }

  private uid(uid: string, addr: Addr, add: boolean, to: IndexChanges | undefined): void {
    if (to) to.uid(uid, addr, add);
    else (add ? this.sql.setUid : this.sql.delUid).run(uid, addr.resource, addr.namespace, addr.name);
  }

  /** The transaction of the last updates committed. */
  committed(): void {
    this.marking = false;
    if (this.direct) {
      // everything waiting went into the tables with this transaction, which also cleared the mark
      this.direct = false;
      this.flushing = undefined;
      this.pending.clear();
      this.staged.clear();
      this.markedPending = false;
      return;
    }
    if (this.staged.size === 0) return;
    this.markedPending = true;
    if (this.pending.size === 0) [this.pending, this.staged] = [this.staged, this.pending];
    else {
      this.pending.merge(this.staged);
      this.staged.clear();
    }
    if (this.pending.size >= FLUSH_AT) this.queueSlice();
    else this.armTimer();
  }

  private armTimer(): void {
    if (this.timer || !this.db.open) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, FLUSH_MS);
    this.timer.unref();
  }

  private queueSlice(): void {
    if (this.sliceQueued) return;
    this.sliceQueued = true;
    setImmediate(() => {
      this.sliceQueued = false;
      this.drain();
    });
  }

  /**
   * Writes the next slice of the waiting changes in its own transaction (taking what waits, in key order, when no
   * older changes are being written), and queues the next slice for the next turn. The mark is cleared with the
   * last slice if nothing newer waits. A failed write (a full disk) leaves everything waiting and visible to lookups,
   * the mark set, and tries again later — the object writes that led here have committed.
   */
  private drain(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) return this.queueSlice();
    if (!this.flushing) {
      if (this.pending.size === 0) {
        if (this.markedPending) this.tryFlush();
        return;
      }
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flushing = { changes: this.pending, order: this.pending.sorted(), next: 0 };
      this.pending = new IndexChanges();
    }
    const f = this.flushing;
    const end = Math.min(f.order.length, f.next + SLICE);
    const last = end === f.order.length;
    try {
      this.db.transaction(() => {
        this.writeOlder(f, end);
        if (last && this.pending.size === 0) this.db.pragma(`user_version = ${INDEXED}`);
      })();
    } catch {
      this.armTimer();
      return;
    }
    f.next = end;
    if (!last) return this.queueSlice();
    this.flushing = undefined;
    if (this.pending.size === 0) this.markedPending = false;
    else if (this.pending.size >= FLUSH_AT) this.queueSlice();
    else this.armTimer();
  }

  /** Writes the older changes from the next one to write up to `end` (exclusive) into the tables. */
  private writeOlder(f: { order: Change[]; next: number }, end: number): void {
    for (let i = f.next; i < end; i++) replayChange(f.order[i] as Change, this.tables);
  }

  /** Writes into the tables directly. */
  private readonly tables: ChangeSink = {
    label: (row, add) => this.label(row, add, undefined),
    owner: (o, addr, add) => this.owner(o, addr, add, undefined),
    uid: (u, addr, add) => this.uid(u, addr, add, undefined),
  };

  /** Writes everything waiting now unless that fails (a full disk: see {@link drain}). */
  private tryFlush(): void {
    try {
      this.flush();
    } catch {
      this.armTimer();
    }
  }

  /** The transaction of the last updates rolled back. */
  rolledBack(): void {
    this.marking = false;
    this.direct = false;
    this.staged.clear();
  }

  /** Writes the waiting changes into the tables (in the transaction in progress, if any) and clears the mark. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 && this.staged.size === 0 && !this.markedPending && !this.flushing) return;
    const f = this.flushing;
    const write = (): void => {
      // oldest first: a newer change of the same row wins
      if (f) this.writeOlder(f, f.order.length);
      for (const c of [this.pending, this.staged]) c.replay(this.tables);
      this.db.pragma(`user_version = ${INDEXED}`);
    };
    if (this.db.inTransaction) {
      // part of a write batch: the rest of it writes its index rows directly; settled when it commits or rolls back
      write();
      this.direct = true;
      return;
    }
    this.db.transaction(write)();
    this.flushing = undefined;
    this.pending.clear();
    this.markedPending = false;
  }

  /** Addresses of the objects of a resource carrying every label, sorted by namespace then name. */
  byLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): Addr[] {
    if (!this.direct) this.flush();
    const pairs = Object.entries(labels);
    const key = `${pairs.length}:${namespace === undefined ? '' : 'ns'}`;
    let stmt = this.labelStmts.get(key);
    if (!stmt) {
      const one = `SELECT resource, namespace, name FROM labels WHERE resource = ? AND k = ? AND v = ?${namespace === undefined ? '' : ' AND namespace = ?'}`;
      stmt = this.db.prepare(`${pairs.map(() => one).join(' INTERSECT ')} ORDER BY namespace, name`);
      this.labelStmts.set(key, stmt);
    }
    const args = pairs.flatMap(([k, v]) => (namespace === undefined ? [resource, k, v] : [resource, k, v, namespace]));
    return stmt.all(...args) as Addr[];
  }

  byUid(uid: string): Addr | undefined {
    if (!this.direct) {
      // newest first; null (removed) is an answer too
      for (const c of [this.staged, this.pending, this.flushing?.changes]) {
        const known = c?.uidOf(uid);
        if (known !== undefined) return known === null ? undefined : known;
      }
    }
    return this.sql.uidStmt.get(uid) as Addr | undefined;
  }

  byOwner(ownerUid: string): Addr[] {
    const rows = this.sql.ownerStmt.all(ownerUid) as Addr[];
    if (this.direct) return rows;
    // oldest first, so that the newest change of an address wins
    const changes = [this.flushing?.changes.ownedBy(ownerUid), this.pending.ownedBy(ownerUid), this.staged.ownedBy(ownerUid)].filter((m) => m !== undefined);
    if (changes.length === 0) return rows;
    const byKey = new Map(rows.map((r) => [addrKey(r), r]));
    for (const m of changes) for (const [k, { addr, add }] of m) {
      if (add) byKey.set(k, addr);
      else byKey.delete(k);
    }
    return [...byKey.values()].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0) || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Writes what waits (before the database closes). */
  close(): void {
    if (this.db.open && !this.db.inTransaction) this.tryFlush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fills the index tables from the objects table (a database of an older version, or one whose process died with changes waiting). */
  private rebuild(): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM labels; DELETE FROM owners; DELETE FROM uids;');
      const rows = this.db.prepare('SELECT resource, namespace, name, data FROM objects').all() as Array<Addr & { data: string }>;
      this.direct = true;
      try {
        for (const r of rows) this.update(r.resource, r.namespace, r.name, undefined, JSON.parse(r.data) as KubeObject);
      } finally {
        this.direct = false;
      }
      this.db.pragma(`user_version = ${INDEXED}`);
    })();
  }
}
