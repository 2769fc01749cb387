/**
 * The SQLite store's indexes: tables of labels, owner uids and uids, kept by the same transaction as the object
 * write, so that label selectors, the garbage collector and uid lookups are answered from the database rather than
 * from maps of every object in memory. A database written before these tables existed is indexed once on open.
 */
import type Database from 'better-sqlite3';
import type { KubeObject } from '../../api/types.js';
import type { Addr } from './store-table.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS labels (
  resource TEXT NOT NULL, k TEXT NOT NULL, v TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (resource, k, v, namespace, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS owners (
  owner TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (owner, resource, namespace, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uids (
  uid TEXT PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
`;

/** The schema version once the index tables are filled (2: one B-tree for labels, keyed by label first). */
const INDEXED = 2;


/** Index upkeep and lookups over one database. */
export class SqliteIndexes {
  private readonly setLabel: Database.Statement;
  private readonly delLabel: Database.Statement;
  private readonly addOwner: Database.Statement;
  private readonly delOwner: Database.Statement;
  private readonly setUid: Database.Statement;
  private readonly delUid: Database.Statement;
  private readonly uidStmt: Database.Statement;
  private readonly ownerStmt: Database.Statement;
  private readonly labelStmts = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    if ((db.pragma('user_version', { simple: true }) as number) < INDEXED) db.exec('DROP TABLE IF EXISTS labels; DROP INDEX IF EXISTS labels_kv;');
    db.exec(SCHEMA);
    this.setLabel = db.prepare('INSERT OR IGNORE INTO labels (resource, k, v, namespace, name) VALUES (?, ?, ?, ?, ?)');
    this.delLabel = db.prepare('DELETE FROM labels WHERE resource = ? AND k = ? AND v = ? AND namespace = ? AND name = ?');
    this.addOwner = db.prepare('INSERT OR IGNORE INTO owners (owner, resource, namespace, name) VALUES (?, ?, ?, ?)');
    this.delOwner = db.prepare('DELETE FROM owners WHERE owner = ? AND resource = ? AND namespace = ? AND name = ?');
    this.setUid = db.prepare('INSERT OR REPLACE INTO uids (uid, resource, namespace, name) VALUES (?, ?, ?, ?)');
    this.delUid = db.prepare('DELETE FROM uids WHERE uid = ? AND resource = ? AND namespace = ? AND name = ?');
    this.uidStmt = db.prepare('SELECT resource, namespace, name FROM uids WHERE uid = ?');
    this.ownerStmt = db.prepare('SELECT resource, namespace, name FROM owners WHERE owner = ? ORDER BY resource, namespace, name');
    if ((db.pragma('user_version', { simple: true }) as number) < INDEXED) this.rebuild();
  }

  /** Moves the indexes of one object from its state `before` to `after` (undefined: absent). */
  update(resource: string, namespace: string, name: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const oldLabels = before?.metadata.labels ?? {};
    const newLabels = after?.metadata.labels ?? {};
    for (const [k, v] of Object.entries(oldLabels)) if (newLabels[k] !== v) this.delLabel.run(resource, k, String(v), namespace, name);
    for (const [k, v] of Object.entries(newLabels)) if (oldLabels[k] !== v) this.setLabel.run(resource, k, String(v), namespace, name);
    const oldOwners = new Set((before?.metadata.ownerReferences ?? []).map((r) => r.uid));
    const newOwners = new Set((after?.metadata.ownerReferences ?? []).map((r) => r.uid));
    for (const o of oldOwners) if (!newOwners.has(o)) this.delOwner.run(o, resource, namespace, name);
    for (const o of newOwners) if (!oldOwners.has(o)) this.addOwner.run(o, resource, namespace, name);
    const oldUid = before?.metadata.uid;
    const newUid = after?.metadata.uid;
    if (oldUid && oldUid !== newUid) this.delUid.run(oldUid, resource, namespace, name);
    if (newUid && newUid !== oldUid) this.setUid.run(newUid, resource, namespace, name);
  }

  /** Addresses of the objects of a resource carrying every label, sorted by namespace then name. */
  byLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): Addr[] {
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
    return this.uidStmt.get(uid) as Addr | undefined;
  }

  byOwner(ownerUid: string): Addr[] {
    return this.ownerStmt.all(ownerUid) as Addr[];
  }

  /** Fills the index tables from the objects table (a database of an older version). */
  private rebuild(): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM labels; DELETE FROM owners; DELETE FROM uids;');
      const rows = this.db.prepare('SELECT resource, namespace, name, data FROM objects').all() as Array<Addr & { data: string }>;
      for (const r of rows) this.update(r.resource, r.namespace, r.name, undefined, JSON.parse(r.data) as KubeObject);
      this.db.pragma(`user_version = ${INDEXED}`);
    })();
  }
}
