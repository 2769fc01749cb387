import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { IndexedStore } from './store-index.js';
import { openStore, SqlitePersistence, STORE_FILE } from './store-sqlite.js';
import { StoreError, type Store, type StoreEvent } from './store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-store-'));
  dirs.push(d);
  return d;
}

const obj = (name: string, ns = 'default', labels: Record<string, string> = {}, extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels, uid: `uid-${ns}-${name}`, ...extra } });

for (const backend of ['memory', 'sqlite'] as const) {
  describe(`${backend} store`, () => {
    const open = (dir?: string, window = 10): Store => openStore(backend === 'sqlite' ? (dir ?? tmp()) : undefined, { eventWindow: window });

    it('creates, gets, updates with optimistic concurrency, removes; rv is monotonic', () => {
      const s = open();
      const a = s.create('/configmaps', obj('a'));
      expect(a.metadata.resourceVersion).toBe('1');
      expect(() => s.create('/configmaps', obj('a'))).toThrow(StoreError);
      const b = s.update('/configmaps', { ...a, data: { x: '1' } }, '1');
      expect(b.metadata.resourceVersion).toBe('2');
      expect(() => s.update('/configmaps', a, '1')).toThrow(/stale/);
      expect(Object.isFrozen(s.get('/configmaps', 'default', 'a')?.metadata)).toBe(true);
      s.remove('/configmaps', 'default', 'a');
      expect(s.get('/configmaps', 'default', 'a')).toBeUndefined();
      expect(s.resourceVersion()).toBe(3);
      s.close();
    });

    it('lists sorted, by namespace, by labels; indexes uids and owners', () => {
      const s = open();
      s.create('/configmaps', obj('b', 'ns2', { app: 'x' }));
      s.create('/configmaps', obj('a', 'ns1', { app: 'x', tier: '1' }));
      s.create('/configmaps', obj('c', 'ns1', { app: 'y' }, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'uid-ns1-a' }] }));
      expect(s.list('/configmaps').map((o) => o.metadata.name)).toEqual(['a', 'c', 'b']);
      expect(s.list('/configmaps', 'ns1').map((o) => o.metadata.name)).toEqual(['a', 'c']);
      expect(s.listByLabels('/configmaps', undefined, { app: 'x' }).map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect(s.listByLabels('/configmaps', 'ns1', { app: 'x', tier: '1' }).map((o) => o.metadata.name)).toEqual(['a']);
      expect(s.listByLabels('/configmaps', undefined, { app: 'z' })).toEqual([]);
      expect(s.byUid('uid-ns2-b')?.object.metadata.name).toBe('b');
      expect(s.dependents('uid-ns1-a').map((d) => d.object.metadata.name)).toEqual(['c']);
      expect(s.resourcesIn('ns1')).toEqual(['/configmaps']);
      s.remove('/configmaps', 'ns1', 'c');
      expect(s.dependents('uid-ns1-a')).toEqual([]);
      s.close();
    });

    it('lists one page after a key, in all namespaces or one (pods: read back from the database on sqlite)', () => {
      const s = open();
      for (const [ns, n] of [['a', 'x'], ['a', 'y'], ['b', 'x'], ['c', 'z']]) s.create('/pods', obj(n as string, ns as string));
      const names = (o: KubeObject[]): string[] => o.map((x) => `${x.metadata.namespace}/${x.metadata.name}`);
      expect(names(s.list('/pods', undefined, { limit: 2 }))).toEqual(['a/x', 'a/y']);
      expect(names(s.list('/pods', undefined, { after: 'a\u0000y', limit: 2 }))).toEqual(['b/x', 'c/z']);
      expect(names(s.list('/pods', undefined, { after: 'b\u0000x' }))).toEqual(['c/z']);
      expect(names(s.list('/pods', 'a', { after: 'a\u0000x', limit: 5 }))).toEqual(['a/y']);
      expect(names(s.list('/pods', 'b', { after: 'a\u0000y', limit: 5 }))).toEqual(['b/x']);
      expect(names(s.list('/pods', 'a', { after: 'b\u0000x', limit: 5 }))).toEqual([]);
      s.close();
    });

    it('keeps a bounded event window: resume inside it, undefined (410) before it', () => {
      const s = open(undefined, 5);
      const seen: number[] = [];
      s.subscribe((ev) => seen.push(ev.rv));
      for (let i = 0; i < 12; i++) s.create('/configmaps', obj(`o${i}`));
      expect(seen).toHaveLength(12);
      expect(s.eventsSince(11)?.map((e) => e.rv)).toEqual([12]);
      expect(s.eventsSince(s.oldestResumableRv())?.length).toBeGreaterThanOrEqual(5);
      expect(s.eventsSince(0)).toBeUndefined();
      s.close();
    });

    it('batch: later writes see earlier ones, subscribers hear after the batch, an own error keeps what was written', () => {
      const s = open();
      const seen: string[] = [];
      s.subscribe((ev) => seen.push(ev.name));
      const out = s.batch(() => {
        s.create('/configmaps', obj('a'));
        expect(() => s.create('/configmaps', obj('a'))).toThrow(StoreError);
        s.update('/configmaps', { ...obj('a'), data: { x: '1' } }, '1');
        expect(seen).toEqual([]);
        return s.create('/configmaps', obj('b')).metadata.resourceVersion;
      });
      expect(out).toBe('3');
      expect(seen).toEqual(['a', 'a', 'b']);
      expect(() => s.batch(() => {
        s.create('/configmaps', obj('c'));
        throw new Error('mine');
      })).toThrow('mine');
      expect(s.get('/configmaps', 'default', 'c')?.metadata.resourceVersion).toBe('4');
      expect(seen).toEqual(['a', 'a', 'b', 'c']);
      s.close();
    });

    if (backend === 'sqlite') {
      it('batch: a failed commit keeps nothing of the batch, announces nothing, and later writes go on', () => {
        const dir = tmp();
        const inner = new SqlitePersistence(path.join(dir, STORE_FILE), 10);
        let failOn = '';
        const flaky = Object.assign(Object.create(inner) as SqlitePersistence, {
          commit: (ev: StoreEvent) => {
            if (ev.name === failOn) throw new Error('disk full');
            inner.commit(ev);
          },
        });
        const s = new IndexedStore(flaky);
        s.create('/configmaps', obj('before'));
        const seen: string[] = [];
        s.subscribe((ev) => seen.push(ev.name));
        failOn = 'bad';
        expect(() => s.batch(() => {
          s.create('/configmaps', obj('ok'));
          try {
            s.create('/configmaps', obj('bad'));
          } catch {
            // a caller that swallows the failure does not save the batch
          }
          s.create('/configmaps', obj('later'));
        })).toThrow('disk full');
        expect(seen).toEqual([]);
        expect(s.list('/configmaps').map((o) => o.metadata.name)).toEqual(['before']);
        expect(s.resourceVersion()).toBe(1);
        expect(s.create('/configmaps', obj('after')).metadata.resourceVersion).toBe('2');
        s.close();
        const again = open(dir);
        expect(again.list('/configmaps').map((o) => o.metadata.name)).toEqual(['after', 'before']);
        again.close();
      });

      it('checkpoints the WAL into the database file in the background', async () => {
        const dir = tmp();
        const s = open(dir);
        const file = path.join(dir, STORE_FILE);
        const before = fs.statSync(file).size;
        for (let i = 0; i < 600; i++) s.create('/configmaps', { ...obj(`o${i}`), data: { text: 'x'.repeat(2000) } });
        for (let i = 0; i < 200 && fs.statSync(file).size <= before; i++) await new Promise((r) => setTimeout(r, 25));
        expect(fs.statSync(file).size).toBeGreaterThan(before);
        s.close();
        expect(fs.existsSync(`${file}-wal`)).toBe(false);
        const again = open(dir);
        expect(again.list('/configmaps')).toHaveLength(600);
        again.close();
      });

      it('closes cleanly while a background checkpoint is still answering', async () => {
        const dir = tmp();
        const s = open(dir);
        for (let i = 0; i < 300; i++) s.create('/configmaps', obj(`o${i}`));
        s.close();
        await new Promise((r) => setTimeout(r, 300)); // a late answer of the worker must not touch the closed database
        const again = open(dir);
        expect(again.list('/configmaps')).toHaveLength(300);
        again.close();
      });

      it('keeps only a bounded cache of bulk kinds (pods, runs, Events) in memory: evicted objects are read back, indexes live in the database', () => {
        const s = openStore(tmp(), { eventWindow: 50, cacheSize: 3, memoryEvents: 4 });
        for (let i = 0; i < 20; i++) {
          const owner = i > 0 ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o0', uid: 'uid-default-o0' }] } : {};
          s.create('/pods', obj(`o${String(i).padStart(2, '0')}`, i % 2 ? 'odd' : 'default', { parity: i % 2 ? 'odd' : 'even', n: String(i) }, owner));
        }
        expect(s.list('/pods', 'odd')).toHaveLength(10);
        const first = s.get('/pods', 'default', 'o00');
        expect(first?.metadata.labels).toEqual({ parity: 'even', n: '0' });
        expect(Object.isFrozen(first?.metadata)).toBe(true);
        expect(s.listByLabels('/pods', undefined, { parity: 'odd', n: '3' }).map((o) => o.metadata.name)).toEqual(['o03']);
        expect(s.listByLabels('/pods', 'default', { parity: 'even' })).toHaveLength(10);
        expect(s.byUid('uid-odd-o05')?.object.metadata.name).toBe('o05');
        expect(s.dependents('uid-default-o0')).toHaveLength(19);
        s.update('/pods', { ...(s.get('/pods', 'odd', 'o01') as KubeObject), metadata: { ...(s.get('/pods', 'odd', 'o01') as KubeObject).metadata, labels: { parity: 'changed' } } });
        expect(s.listByLabels('/pods', undefined, { parity: 'odd' })).toHaveLength(9);
        expect(s.listByLabels('/pods', undefined, { parity: 'changed' }).map((o) => o.metadata.name)).toEqual(['o01']);
        s.remove('/pods', 'odd', 'o03');
        expect(s.byUid('uid-odd-o03')).toBeUndefined();
        expect(s.listByLabels('/pods', undefined, { n: '3' })).toEqual([]);
        expect(s.resourcesIn('odd')).toEqual(['/pods']);
        expect(s.dependents('uid-default-o0').map((d) => d.object.metadata.name)).not.toContain('o03');
        expect(s.dependents('uid-default-o0')).toHaveLength(18);
        // events older than the 4 kept in memory are read back from the database
        expect(s.eventsSince(2)?.map((e) => e.rv)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
        expect(s.eventsSince(2)?.[0]?.object.metadata.name).toBe('o02');
        s.close();
      });

      it('indexes a database written before the index tables existed', () => {
        const dir = tmp();
        const s1 = open(dir);
        s1.create('/configmaps', obj('a', 'default', { app: 'x' }, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'p', uid: 'uid-p' }] }));
        s1.close();
        const db = new Database(path.join(dir, STORE_FILE));
        db.exec('DROP TABLE labels; DROP TABLE owners; DROP TABLE uids; PRAGMA user_version = 0;');
        db.close();
        const s2 = open(dir);
        expect(s2.listByLabels('/configmaps', undefined, { app: 'x' }).map((o) => o.metadata.name)).toEqual(['a']);
        expect(s2.dependents('uid-p').map((d) => d.object.metadata.name)).toEqual(['a']);
        expect(s2.byUid('uid-default-a')?.resource).toBe('/configmaps');
        s2.close();
      });

      it('finds every object after a restart; rvs and the event window continue', () => {
        const dir = tmp();
        const s1 = open(dir);
        for (let i = 0; i < 5; i++) s1.create('/configmaps', obj(`o${i}`));
        s1.remove('/configmaps', 'default', 'o0');
        s1.close();
        const s2 = open(dir);
        expect(s2.list('/configmaps').map((o) => o.metadata.name)).toEqual(['o1', 'o2', 'o3', 'o4']);
        expect(s2.resourceVersion()).toBe(6);
        expect(s2.eventsSince(4)?.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
        expect(s2.create('/configmaps', obj('new')).metadata.resourceVersion).toBe('7');
        s2.close();
      });
    }
  });
}
