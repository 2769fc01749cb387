/**
 * Index changes waiting to be written to the SQLite store's index tables (store-sqlite-index.ts): per label row,
 * owner row and uid, the last change wins (added or removed), so that replaying them in any order gives the tables
 * the state the objects have. Lookups read them before the tables.
 */
import type { Addr } from './store-table.js';

/** A row of the labels table: resource, key, value, namespace, name. */
export type LabelRow = [string, string, string, string, string];

/** The key of an address in maps. */
export const addrKey = (a: Addr): string => `${a.resource}\u0000${a.namespace}\u0000${a.name}`;

/** What replaying the changes does with each. */
export interface ChangeSink {
  label(row: LabelRow, add: boolean): void;
  owner(owner: string, addr: Addr, add: boolean): void;
  uid(uid: string, addr: Addr, add: boolean): void;
}

/** One change as data (see {@link IndexChanges.sorted}). */
export type Change =
  | { kind: 'label'; row: LabelRow; add: boolean }
  | { kind: 'owner'; owner: string; addr: Addr; add: boolean }
  | { kind: 'uid'; uid: string; addr: Addr; add: boolean };

const byKey = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Hands one change to `sink`. */
export function replayChange(c: Change, sink: ChangeSink): void {
  if (c.kind === 'label') sink.label(c.row, c.add);
  else if (c.kind === 'owner') sink.owner(c.owner, c.addr, c.add);
  else sink.uid(c.uid, c.addr, c.add);
}

/** A set of index changes, the last per row winning. */
export class IndexChanges {
  private readonly labels = new Map<string, { row: LabelRow; add: boolean }>();
  private readonly owners = new Map<string, Map<string, { addr: Addr; add: boolean }>>();
  private readonly uids = new Map<string, { addr: Addr; add: boolean }>();
  /** Changes recorded (rows, counting a row changed twice once). */
  size = 0;

  label(row: LabelRow, add: boolean): void {
    const key = row.join('\u0000');
    if (!this.labels.has(key)) this.size += 1;
    this.labels.set(key, { row, add });
  }

  owner(owner: string, addr: Addr, add: boolean): void {
    let m = this.owners.get(owner);
    if (!m) this.owners.set(owner, (m = new Map()));
    const key = addrKey(addr);
    if (!m.has(key)) this.size += 1;
    m.set(key, { addr, add });
  }

  uid(uid: string, addr: Addr, add: boolean): void {
    const cur = this.uids.get(uid);
    // a uid removed from one address and added at another in one set: the addition is what holds
    if (cur && !add && addrKey(cur.addr) !== addrKey(addr)) return;
    if (!cur) this.size += 1;
    this.uids.set(uid, { addr, add });
  }

  /** Where a uid is now according to these changes: an address, null (removed), or undefined (not changed here). */
  uidOf(uid: string): Addr | null | undefined {
    const c = this.uids.get(uid);
    return c === undefined ? undefined : c.add ? c.addr : null;
  }

  /** The changes of one owner's dependents, by address key. */
  ownedBy(owner: string): Map<string, { addr: Addr; add: boolean }> | undefined {
    return this.owners.get(owner);
  }

  /** Takes in `other`'s changes (they are newer). */
  merge(other: IndexChanges): void {
    // label rows by their keys as they are (every commit merges its changes: no key built twice)
    for (const [key, change] of other.labels) {
      if (!this.labels.has(key)) this.size += 1;
      this.labels.set(key, change);
    }
    for (const [owner, m] of other.owners) for (const { addr, add } of m.values()) this.owner(owner, addr, add);
    for (const [uid, { addr, add }] of other.uids) this.uid(uid, addr, add);
  }

  /** Calls `sink` with every change. */
  replay(sink: ChangeSink): void {
    for (const { row, add } of this.labels.values()) sink.label(row, add);
    for (const [owner, m] of this.owners) for (const { addr, add } of m.values()) sink.owner(owner, addr, add);
    for (const [uid, { addr, add }] of this.uids) sink.uid(uid, addr, add);
  }

  /**
   * Every change, each table's in the order of its key, so that a run of neighbours touches neighbouring B-tree
   * pages: written in slices, they cost the commits about what one transaction of them all would.
   */
  sorted(): Change[] {
    const out: Change[] = [];
    for (const [, { row, add }] of [...this.labels].sort(byKey)) out.push({ kind: 'label', row, add });
    for (const [owner, m] of [...this.owners].sort(byKey)) for (const [, { addr, add }] of [...m].sort(byKey)) out.push({ kind: 'owner', owner, addr, add });
    for (const [uid, { addr, add }] of [...this.uids].sort(byKey)) out.push({ kind: 'uid', uid, addr, add });
    return out;
  }

  clear(): void {
    this.labels.clear();
    this.owners.clear();
    this.uids.clear();
    this.size = 0;
  }
}
