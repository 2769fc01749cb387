/** The SQLite store's index tables (see store-sqlite-index.ts) and the statements that keep and read them. */
import type Database from 'better-sqlite3';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS labels (
  resource TEXT NOT NULL, k TEXT NOT NULL, v TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (resource, k, v, namespace, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS owners (
  owner TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (owner, resource, namespace, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uids (
  uid TEXT PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
`;

/** The prepared statements of the index tables. */
export interface IndexStatements {
  setLabel: Database.Statement;
  delLabel: Database.Statement;
  addOwner: Database.Statement;
  delOwner: Database.Statement;
  setUid: Database.Statement;
  delUid: Database.Statement;
  uidStmt: Database.Statement;
  ownerStmt: Database.Statement;
}

/** Creates the index tables when missing and prepares their statements. */
export function indexStatements(db: Database.Database): IndexStatements {
  db.exec(SCHEMA);
  return {
    setLabel: db.prepare('INSERT OR IGNORE INTO labels (resource, k, v, namespace, name) VALUES (?, ?, ?, ?, ?)'),
    delLabel: db.prepare('DELETE FROM labels WHERE resource = ? AND k = ? AND v = ? AND namespace = ? AND name = ?'),
    addOwner: db.prepare('INSERT OR IGNORE INTO owners (owner, resource, namespace, name) VALUES (?, ?, ?, ?)'),
    delOwner: db.prepare('DELETE FROM owners WHERE owner = ? AND resource = ? AND namespace = ? AND name = ?'),
    setUid: db.prepare('INSERT OR REPLACE INTO uids (uid, resource, namespace, name) VALUES (?, ?, ?, ?)'),
    delUid: db.prepare('DELETE FROM uids WHERE uid = ? AND resource = ? AND namespace = ? AND name = ?'),
    uidStmt: db.prepare('SELECT resource, namespace, name FROM uids WHERE uid = ?'),
    ownerStmt: db.prepare('SELECT resource, namespace, name FROM owners WHERE owner = ? ORDER BY resource, namespace, name'),
  };
}
