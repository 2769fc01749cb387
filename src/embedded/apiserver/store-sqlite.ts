/**
 * SQLite persistence for the indexed store (better-sqlite3, WAL, synchronous=NORMAL): an `objects` table, the
 * `events` table (the watch-resume window) and the indexes by label, owner uid and uid (store-sqlite-index.ts, written
 * in bulk), so that the store answers queries from the database and keeps only a bounded cache in memory
 * (store-table.ts).
 * Every write, or every batch of writes (see Store.batch), is one transaction, committed before it returns. WAL
 * checkpoints run in a worker thread (store-checkpoint.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { KubeObject } from '../../api/types.js';
import { Checkpointer } from './store-checkpoint.js';
import { IndexedStore, type IndexedStoreOptions, type Persistence } from './store-index.js';
import { SqliteIndexes } from './store-sqlite-index.js';
import type { ObjectRow, StoreQueries } from './store-table.js';
import { objectJson, type ListPage, type Store, type StoreEvent, type StoredRef } from './store.js';

/**
 * `objects` is a rowid table with its key in a separate index: an object's JSON (a few KiB) stays in the table's
 * leaf page, and the key index is small enough to stay cached (as a WITHOUT ROWID table, the key's B-tree held the
 * rows: anything over ~1 KiB went to overflow pages, and a write or a lookup walked more pages).
 */
const OBJECTS = `
CREATE TABLE IF NOT EXISTS objects (
  id INTEGER PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS objects_key ON objects (resource, namespace, name);
`;

const SCHEMA = `
DROP INDEX IF EXISTS objects_rv;
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY, type TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  data TEXT NOT NULL);
`;

/** The file the SQLite store keeps under a data directory. */
export const STORE_FILE = 'apiserver.sqlite';

/** Persistence in one SQLite file. */
export class SqlitePersistence implements Persistence, StoreQueries {
  private readonly db: Database.Database;
  private readonly indexes: SqliteIndexes;
  private readonly rowStmt: Database.Statement;
  private readonly scanAll: Database.Statement;
  private readonly scanNs: Database.Statement;
  private readonly pageAll: Database.Statement;
  private readonly pageNs: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly tx: (ev: StoreEvent) => void;
  private readonly batchTx: (fn: () => unknown) => unknown;
  private readonly checkpointer: Checkpointer;
  /** Rows written since the last commit (what the checkpointer counts). */
  private rows = 0;

  constructor(file: string, private readonly eventWindow: number) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Secrets are stored here: owner-only. SQLite creates the -wal and -shm files with the database file's mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('wal_autocheckpoint = 0');
    // a restarted WAL keeps up to 64 MiB of its file: above the checkpointer's bound (32 MiB), so that its blocks are
    // reused rather than allocated again each cycle (allocating file blocks is what costs at fsync time)
    this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrateObjects(this.db);
    this.db.exec(SCHEMA);
    this.checkpointer = new Checkpointer(file, {
      fallback: () => this.db.pragma('wal_autocheckpoint = 1000'),
      checkpointHere: () => this.db.pragma('wal_checkpoint(PASSIVE)'),
    });
    this.upsert = this.db.prepare(`INSERT INTO objects (resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, data = excluded.data`);
    this.del = this.db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?');
    this.insertEvent = this.db.prepare('INSERT INTO events (rv, type, resource, namespace, name, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.rowStmt = this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects WHERE resource = ? AND namespace = ? AND name = ?');
    this.scanAll = this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects WHERE resource = ? ORDER BY namespace, name');
    this.scanNs = this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects WHERE resource = ? AND namespace = ? ORDER BY name');
    this.pageAll = this.db.prepare(`SELECT resource, namespace, name, rv, data FROM objects WHERE resource = ? AND (? OR namespace > ? OR (namespace = ? AND name > ?))
      ORDER BY namespace, name LIMIT ?`);
    this.pageNs = this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects WHERE resource = ? AND namespace = ? AND (? = 0 OR name > ?) ORDER BY name LIMIT ?');
    this.indexes = new SqliteIndexes(this.db);
    this.tx = this.db.transaction((ev: StoreEvent) => this.apply(ev));
    this.batchTx = this.db.transaction((fn: () => unknown) => fn());
  }

  private apply(ev: StoreEvent): void {
    this.rows += 1;
    const data = objectJson(ev.object);
    const before = ev.type === 'ADDED' ? undefined : (ev.old ?? this.stored(ev.resource, ev.namespace, ev.name));
    this.indexes.update(ev.resource, ev.namespace, ev.name, before, ev.type === 'DELETED' ? undefined : ev.object);
    if (ev.type === 'DELETED') this.del.run(ev.resource, ev.namespace, ev.name);
    else this.upsert.run(ev.resource, ev.namespace, ev.name, ev.rv, data);
    this.insertEvent.run(ev.rv, ev.type, ev.resource, ev.namespace, ev.name, data);
  }

  load(): { objects: StoredRef[]; events: StoreEvent[]; rv: number } {
    const rows = this.db.prepare('SELECT resource, rv, data FROM objects').all() as { resource: string; rv: number; data: string }[];
    let maxObj = 0;
    const objects = rows.map((r) => {
      maxObj = Math.max(maxObj, r.rv);
      return { resource: r.resource, object: JSON.parse(r.data) as KubeObject };
    });
    const evRows = this.db.prepare('SELECT rv, type, resource, namespace, name, data FROM events ORDER BY rv DESC LIMIT ?')
      .all(this.eventWindow) as { rv: number; type: StoreEvent['type']; resource: string; namespace: string; name: string; data: string }[];
    const events = evRows.reverse().map((r) => ({
      type: r.type, resource: r.resource, namespace: r.namespace, name: r.name, rv: r.rv, object: JSON.parse(r.data) as KubeObject,
    }));
    const maxEv = (this.db.prepare('SELECT MAX(rv) AS m FROM events').get() as { m: number | null }).m ?? 0;
    return { objects, events, rv: Math.max(maxObj, maxEv) };
  }

  /** The latest `n` events, the latest rv, and the rv before the oldest persisted event (see Persistence.loadTail). */
  loadTail(n: number): { events: StoreEvent[]; rv: number; floor: number } {
    const rows = this.db.prepare('SELECT rv, type, resource, namespace, name, data FROM events ORDER BY rv DESC LIMIT ?').all(n) as EventRow[];
    const events = rows.reverse().map(toEvent);
    const bounds = this.db.prepare('SELECT MIN(rv) AS lo, MAX(rv) AS hi FROM events').get() as { lo: number | null; hi: number | null };
    const rv = bounds.hi ?? ((this.db.prepare('SELECT MAX(rv) AS m FROM objects').get() as { m: number | null }).m ?? 0);
    return { events, rv, floor: bounds.lo === null ? rv : bounds.lo - 1 };
  }

  eventsAfter(rv: number): StoreEvent[] {
    return (this.db.prepare('SELECT rv, type, resource, namespace, name, data FROM events WHERE rv > ? ORDER BY rv').all(rv) as EventRow[]).map(toEvent);
  }

  queries(): StoreQueries {
    return this;
  }

  row(resource: string, namespace: string, name: string): ObjectRow | undefined {
    return this.rowStmt.get(resource, namespace, name) as ObjectRow | undefined;
  }

  scan(resource: string, namespace?: string, page?: ListPage): ObjectRow[] {
    if (!page) return (namespace === undefined ? this.scanAll.all(resource) : this.scanNs.all(resource, namespace)) as ObjectRow[];
    const [ans, aname] = page.after === undefined ? ['', ''] : splitPageKey(page.after);
    const limit = page.limit !== undefined && page.limit > 0 ? page.limit : -1;
    const first = page.after === undefined;
    if (namespace !== undefined) {
      // a key after this namespace's: nothing; before it: from its first object
      if (!first && ans > namespace) return [];
      const fromStart = first || ans < namespace;
      return this.pageNs.all(resource, namespace, fromStart ? 0 : 1, aname, limit) as ObjectRow[];
    }
    return this.pageAll.all(resource, first ? 1 : 0, ans, ans, aname, limit) as ObjectRow[];
  }

  byLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): Array<{ resource: string; namespace: string; name: string }> {
    return this.indexes.byLabels(resource, namespace, labels);
  }

  byUid(uid: string): { resource: string; namespace: string; name: string } | undefined {
    return this.indexes.byUid(uid);
  }

  byOwner(ownerUid: string): Array<{ resource: string; namespace: string; name: string }> {
    return this.indexes.byOwner(ownerUid);
  }

  counts(): Array<{ namespace: string; resource: string; n: number }> {
    return this.db.prepare('SELECT namespace, resource, COUNT(*) AS n FROM objects GROUP BY namespace, resource').all() as Array<{ namespace: string; resource: string; n: number }>;
  }

  private stored(resource: string, namespace: string, name: string): KubeObject | undefined {
    const r = this.row(resource, namespace, name);
    return r ? (JSON.parse(r.data) as KubeObject) : undefined;
  }

  commit(ev: StoreEvent): void {
    if (this.db.inTransaction) {
      this.apply(ev); // part of a batch: committed with it
      return;
    }
    try {
      this.tx(ev);
    } catch (err) {
      this.indexes.rolledBack();
      throw err;
    }
    this.committed();
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    try {
      let out: T;
      try {
        out = this.batchTx(fn) as T;
      } catch (err) {
        this.indexes.rolledBack();
        throw err;
      }
      this.committed();
      return out;
    } finally {
      this.rows = 0;
    }
  }

  private committed(): void {
    this.indexes.committed();
    this.checkpointer.committed(this.rows);
    this.rows = 0;
  }

  prune(rv: number): void {
    this.db.prepare('DELETE FROM events WHERE rv <= ?').run(rv);
  }

  close(): void {
    this.indexes.close();
    this.checkpointer.close();
    if (this.db.open) this.db.close();
  }
}

/** Creates the objects table, or moves the rows of an older file's WITHOUT ROWID table into it (one transaction). */
function migrateObjects(db: Database.Database): void {
  const existing = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'objects'").get() as { sql: string } | undefined;
  if (!existing || !/WITHOUT\s+ROWID/i.test(existing.sql)) {
    db.exec(OBJECTS);
    return;
  }
  db.transaction(() => {
    db.exec('ALTER TABLE objects RENAME TO objects_old');
    db.exec(OBJECTS);
    db.exec('INSERT INTO objects (resource, namespace, name, rv, data) SELECT resource, namespace, name, rv, data FROM objects_old');
    db.exec('DROP TABLE objects_old');
  })();
}

/** Namespace and name of a page key. */
function splitPageKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return i < 0 ? [key, ''] : [key.slice(0, i), key.slice(i + 1)];
}

type EventRow = { rv: number; type: StoreEvent['type']; resource: string; namespace: string; name: string; data: string };

const toEvent = (r: EventRow): StoreEvent => ({
  type: r.type, resource: r.resource, namespace: r.namespace, name: r.name, rv: r.rv, object: JSON.parse(r.data) as KubeObject,
});

/**
 * Opens a store: SQLite under `dataDir` when given (objects read back from the database, a bounded cache of them in
 * memory), else memory.
 */
export function openStore(dataDir?: string, opts: IndexedStoreOptions = {}): Store {
  const eventWindow = opts.eventWindow ?? 10_000;
  if (!dataDir) return new IndexedStore(undefined, { ...opts, eventWindow });
  return new IndexedStore(new SqlitePersistence(path.join(dataDir, STORE_FILE), eventWindow), { ...opts, eventWindow });
}
