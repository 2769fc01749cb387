import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { IndexedStore } from './store-index.js';
import { SLICE } from './store-sqlite-index.js';
import { openStore, SqlitePersistence, STORE_FILE } from './store-sqlite.js';
import type { Store, StoreEvent } from './store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-index-'));
  dirs.push(d);
  return d;
}

// pods are read back from the database (a bulk resource): their label, owner and uid lookups use the index tables
const pod = (name: string, labels: Record<string, string>, owner?: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', labels, uid: `uid-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: owner, uid: `uid-${owner}` }] } : {}) },
});
const names = (objs: Array<KubeObject | { object: KubeObject }>): string[] => objs.map((o) => ('object' in o ? (o.object as KubeObject) : o).metadata.name ?? '');
/** Reads the store's database through a connection of its own. */
function readDb<T>(dir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
const indexRows = (dir: string): number =>
  readDb(dir, (db) => (db.prepare('SELECT (SELECT COUNT(*) FROM labels) + (SELECT COUNT(*) FROM owners) + (SELECT COUNT(*) FROM uids) AS n').get() as { n: number }).n);
const userVersion = (dir: string): number => readDb(dir, (db) => db.pragma('user_version', { simple: true }) as number);

/** What a kill leaves of the store open in `dir`: its committed database and WAL files, copied to a new directory. */
function crashCopy(dir: string): string {
  const crashed = tmp();
  for (const f of fs.readdirSync(dir)) if (f.startsWith(STORE_FILE)) fs.copyFileSync(path.join(dir, f), path.join(crashed, f));
  return crashed;
}

/** Runs `body` with setTimeout and setImmediate faked (the index writes' timer and slices). */
function withFakeTimers(body: () => void): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
  try {
    body();
  } finally {
    vi.useRealTimers();
  }
}

/** The lookups a test checks, the same before and after index rows reach the tables. */
function lookups(s: Store): unknown {
  return {
    app: names(s.listByLabels('/pods', undefined, { app: 'a' })),
    appTier: names(s.listByLabels('/pods', 'default', { app: 'a', tier: 'web' })),
    uidP1: s.byUid('uid-p1')?.object.metadata.name,
    uidP2: s.byUid('uid-p2')?.object.metadata.name,
    ownedByP1: names(s.dependents('uid-p1')),
  };
}

function writeSome(s: Store): void {
  s.create('/pods', pod('p1', { app: 'a', tier: 'web' }));
  s.create('/pods', pod('p2', { app: 'a' }, 'p1'));
  s.create('/pods', pod('p3', { app: 'b' }, 'p1'));
  const p3 = s.get('/pods', 'default', 'p3') as KubeObject;
  s.update('/pods', { ...p3, metadata: { ...p3.metadata, labels: { app: 'a', tier: 'web' }, ownerReferences: [] } });
  s.remove('/pods', 'default', 'p2');
}

const expected = { app: ['p1', 'p3'], appTier: ['p1', 'p3'], uidP1: 'p1', uidP2: undefined, ownedByP1: [] };

describe('SQLite indexes written in bulk', () => {
  it('answers uid and owner lookups from changes not yet written, label queries after writing them', () => {
    const dir = tmp();
    const s = openStore(dir, { eventWindow: 10 });
    writeSome(s);
    // uid and owner lookups before anything reached the index tables
    expect(indexRows(dir)).toBe(0);
    expect(s.byUid('uid-p1')?.object.metadata.name).toBe('p1');
    expect(s.byUid('uid-p2')).toBeUndefined();
    expect(names(s.dependents('uid-p1'))).toEqual([]);
    s.create('/pods', pod('p4', {}, 'p1'));
    expect(names(s.dependents('uid-p1'))).toEqual(['p4']);
    s.remove('/pods', 'default', 'p4');
    expect(lookups(s)).toEqual(expected);
    // the label query wrote the waiting rows: p1 (2 labels, uid), p3 (2 labels, uid)
    expect(indexRows(dir)).toBe(6);
    s.close();
    const again = openStore(dir, { eventWindow: 10 });
    expect(lookups(again)).toEqual(expected);
    again.close();
  });

  it('writes what waits in slices, one turn each, with lookups right before, between and after the slices', () => {
    withFakeTimers(() => {
      const dir = tmp();
      const s = openStore(dir, { eventWindow: 10 });
      // 1,200 pods owned by o: a label row, an owner row and a uid row each (3,600 rows; the owner o has 2 more)
      const n = 1200;
      s.create('/pods', pod('o', { app: 'o' }));
      s.batch(() => { for (let i = 0; i < n; i++) s.create('/pods', pod(`p${i}`, { app: 'a' }, 'o')); });
      expect(indexRows(dir)).toBe(0);
      vi.advanceTimersByTime(1000); // the once-a-second write starts: the first slice only (label rows come first)
      expect(indexRows(dir)).toBe(SLICE);
      expect(userVersion(dir)).toBe(1); // still marked: a crash now rebuilds the indexes on the next open
      const reopened = openStore(crashCopy(dir), { eventWindow: 10 });
      expect(reopened.listByLabels('/pods', undefined, { app: 'a' })).toHaveLength(n);
      expect(reopened.dependents('uid-o')).toHaveLength(n);
      expect(reopened.byUid(`uid-p${n - 1}`)?.object.metadata.name).toBe(`p${n - 1}`);
      reopened.close();
      // changes made while the older ones are being written: the newest of each row wins
      s.remove('/pods', 'default', 'p7');
      s.create('/pods', pod('late', { app: 'a' }, 'o'));
      vi.advanceTimersToNextTimer(); // the next slice, in the next turn
      expect(indexRows(dir)).toBe(2 * SLICE);
      expect(s.byUid('uid-p7')).toBeUndefined();
      expect(s.byUid(`uid-p${n - 1}`)?.object.metadata.name).toBe(`p${n - 1}`); // uid rows are written last
      expect(s.dependents('uid-o')).toHaveLength(n); // 1,199 + late
      vi.runAllTimers(); // the rest of the slices, then the newer changes a second later
      expect(indexRows(dir)).toBe(2 + 3 * n);
      expect(userVersion(dir)).toBe(2);
      expect(names(s.listByLabels('/pods', undefined, { app: 'a' }))).toHaveLength(n);
      expect(names(s.listByLabels('/pods', undefined, { app: 'a' }))).not.toContain('p7');
      s.close();
    });
  });

  it('a label query between slices writes everything that waits at once', () => {
    withFakeTimers(() => {
      const dir = tmp();
      const s = openStore(dir, { eventWindow: 10 });
      s.batch(() => { for (let i = 0; i < 2 * SLICE; i++) s.create('/pods', pod(`p${i}`, { app: i % 2 ? 'odd' : 'even' })); });
      vi.advanceTimersByTime(1000);
      expect(indexRows(dir)).toBe(SLICE);
      s.remove('/pods', 'default', 'p1');
      expect(s.listByLabels('/pods', undefined, { app: 'odd' })).toHaveLength(SLICE - 1);
      expect(indexRows(dir)).toBe(2 * (2 * SLICE - 1));
      expect(userVersion(dir)).toBe(2);
      vi.runAllTimers(); // the queued slice finds nothing left to write
      expect(indexRows(dir)).toBe(2 * (2 * SLICE - 1));
      s.close();
    });
  });

  it('a process that dies with index rows waiting has its indexes rebuilt from the objects at the next open', () => {
    const dir = tmp();
    const s = openStore(dir, { eventWindow: 10 });
    writeSome(s);
    // what a kill leaves: the committed database and WAL files, index rows not written, the mark set
    const crashed = crashCopy(dir);
    s.close();
    const db = new Database(path.join(crashed, STORE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect((db.prepare('SELECT COUNT(*) AS n FROM uids').get() as { n: number }).n).toBe(0);
    db.close();
    const reopened = openStore(crashed, { eventWindow: 10 });
    expect(lookups(reopened)).toEqual(expected);
    reopened.close();
  });

  it('a batch whose commit fails leaves no index change behind, also after a label query inside it wrote the waiting rows', () => {
    const dir = tmp();
    const inner = new SqlitePersistence(path.join(dir, STORE_FILE), 10);
    // a write that fails to persist (as a full disk would) fails the whole batch
    const flaky = Object.assign(Object.create(inner) as SqlitePersistence, {
      commit: (ev: StoreEvent) => {
        if (ev.name === 'bad') throw new Error('disk full');
        inner.commit(ev);
      },
    });
    const s = new IndexedStore(flaky);
    s.create('/pods', pod('p1', { app: 'a', tier: 'web' }));
    expect(() => s.batch(() => {
      s.create('/pods', pod('p5', { app: 'a' }, 'p1'));
      // the query writes p1's and p5's waiting rows inside this transaction
      expect(names(s.listByLabels('/pods', undefined, { app: 'a' }))).toEqual(['p1', 'p5']);
      s.create('/pods', pod('p6', { app: 'a' }));
      s.create('/pods', pod('bad', { app: 'a' }));
    })).toThrow('disk full');
    expect(s.byUid('uid-p5')).toBeUndefined();
    expect(names(s.dependents('uid-p1'))).toEqual([]);
    expect(names(s.listByLabels('/pods', undefined, { app: 'a' }))).toEqual(['p1']);
    expect(s.byUid('uid-p1')?.object.metadata.name).toBe('p1');
    s.close();
    const again = openStore(dir, { eventWindow: 10 });
    expect(names(again.listByLabels('/pods', undefined, { app: 'a' }))).toEqual(['p1']);
    expect(again.byUid('uid-p6')).toBeUndefined();
    again.close();
  });
});

describe('SQLite objects table', () => {
  it('a data directory of an older version (objects in a WITHOUT ROWID table) is moved to the rowid table on open', () => {
    const dir = tmp();
    const old = new Database(path.join(dir, STORE_FILE));
    old.exec(`CREATE TABLE objects (resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID`);
    const insert = old.prepare('INSERT INTO objects VALUES (?, ?, ?, ?, ?)');
    insert.run('/pods', 'default', 'p1', 1, JSON.stringify({ ...pod('p1', { app: 'a' }), metadata: { ...pod('p1', { app: 'a' }).metadata, resourceVersion: '1' } }));
    insert.run('/pods', 'default', 'p2', 2, JSON.stringify({ ...pod('p2', { app: 'b' }, 'p1'), metadata: { ...pod('p2', { app: 'b' }, 'p1').metadata, resourceVersion: '2' } }));
    old.close();
    const s = openStore(dir, { eventWindow: 10 });
    expect(s.get('/pods', 'default', 'p1')?.metadata.resourceVersion).toBe('1');
    expect(names(s.listByLabels('/pods', undefined, { app: 'b' }))).toEqual(['p2']);
    expect(names(s.dependents('uid-p1'))).toEqual(['p2']);
    // writes go on from the highest resourceVersion: a new object, an update, a create of an existing name refused
    s.create('/pods', pod('p3', { app: 'a' }));
    const p1 = s.get('/pods', 'default', 'p1') as KubeObject;
    const updated = s.update('/pods', { ...p1, metadata: { ...p1.metadata, labels: { app: 'c' } } });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(2);
    expect(() => s.create('/pods', pod('p2', {}))).toThrow(/already exists/);
    s.close();
    const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
    try {
      const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'objects'").get() as { sql: string }).sql;
      expect(sql).not.toMatch(/WITHOUT ROWID/i);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'objects_old'").get()).toBeUndefined();
      expect((db.prepare('SELECT name, rv FROM objects ORDER BY name').all() as { name: string }[]).map((r) => r.name)).toEqual(['p1', 'p2', 'p3']);
    } finally {
      db.close();
    }
    const again = openStore(dir, { eventWindow: 10 });
    expect(again.get('/pods', 'default', 'p1')?.metadata.labels).toEqual({ app: 'c' });
    again.close();
  });
});
