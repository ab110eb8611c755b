// Which source said what, without copies (migration 007): record_keys (one row per record key,
// with the hash of what it last stated), record_statements (a few integers per record an import
// stated) and record_contents (each distinct content once, packed and deflated).
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

export type HistoryObject = 'entity' | 'link' | 'undisclosed';
export type HistoryAction = 'insert' | 'update' | 'unchanged' | 'delete' | 'dropped';
export const ACTION_CODE: Record<HistoryAction, number> = { insert: 0, update: 1, unchanged: 2, delete: 3, dropped: 4 };
export const ACTION_NAME: HistoryAction[] = ['insert', 'update', 'unchanged', 'delete', 'dropped'];

/** Contents per pack: large enough for deflate to find the repeated field names, small enough to read one back quickly. */
const PACK_CONTENTS = 256;
const PACK_CHARS = 256 * 1024;

/**
 * The content a statement is compared and stored by: the fact's JSON without its record reference
 * (the statement carries that), so a record that only moved to another line of a newer file is
 * unchanged.
 */
export function normalizeContent(json: string): string {
  return json.replace(/"recordRef":"(?:[^"\\]|\\.)*",?/, '');
}

/** 48 bits of SHA-1: exact in a JavaScript number and in SQLite's integer. */
export function contentHash(content: string): number {
  return createHash('sha1').update(content).digest().readUIntBE(0, 6);
}

/**
 * "line N" is stored as the integer N (the record_history view gives the text back). A BigInt,
 * because better-sqlite3 binds a JavaScript number as a REAL (8 bytes in a column of type ANY).
 */
export function storedRef(ref: string): bigint | string {
  const m = /^line (\d{1,15})$/.exec(ref);
  return m ? BigInt(m[1]!) : ref;
}

export function refText(ref: number | string | bigint): string {
  return typeof ref === 'string' ? ref : `line ${ref}`;
}

/**
 * Gives each new content the next content id and writes them, deflated, a pack at a time. `flush`
 * must run before the transaction commits (FactWriter.finish does).
 */
export class ContentPacker {
  private next: number;
  private pending: string[] = [];
  private chars = 0;
  private readonly insert: Statement;

  constructor(private readonly db: Db) {
    const row = db.prepare('SELECT first + count AS next FROM record_contents ORDER BY first DESC LIMIT 1').get() as { next: number } | undefined;
    this.next = row?.next ?? 1;
    this.insert = db.prepare('INSERT INTO record_contents (first, count, data) VALUES (?, ?, ?)');
  }

  add(content: string): number {
    const id = this.next + this.pending.length;
    this.pending.push(content);
    this.chars += content.length;
    if (this.pending.length >= PACK_CONTENTS || this.chars >= PACK_CHARS) this.flush();
    return id;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.insert.run(this.next, this.pending.length, deflateRawSync(this.pending.join('\n'), { level: 6 }));
    this.next += this.pending.length;
    this.pending = [];
    this.chars = 0;
  }
}

/** Reads contents back by id (a pack is inflated once per reader). */
export function contentReader(db: Db): (id: number | null) => string | null {
  const find = db.prepare('SELECT first, count, data FROM record_contents WHERE first <= ? ORDER BY first DESC LIMIT 1');
  let cached: { first: number; lines: string[] } | undefined;
  return (id) => {
    if (id === null) return null;
    if (!cached || id < cached.first || id >= cached.first + cached.lines.length) {
      const row = find.get(id) as { first: number; count: number; data: Buffer } | undefined;
      if (!row || id >= row.first + row.count) return null;
      cached = { first: row.first, lines: inflateRawSync(row.data).toString('utf8').split('\n') };
    }
    return cached.lines[id - cached.first] ?? null;
  };
}

export interface Statement7 {
  id: number;
  sourceId: number;
  recordRef: string;
  action: HistoryAction;
  contentId: number | null;
}

/** Every statement about one record key, oldest first. */
export function statementsOf(db: Db, object: HistoryObject, key: string): Statement7[] {
  return (
    db
      .prepare(
        `SELECT st.id, st.source_id, st.record_ref, st.action, st.content FROM record_statements st
         JOIN record_keys k ON k.id = st.key_id WHERE k.key = ? AND k.object = ? ORDER BY st.id`,
      )
      .all(key, object) as { id: number; source_id: number; record_ref: number | string; action: number; content: number | null }[]
  ).map((r) => ({ id: r.id, sourceId: r.source_id, recordRef: refText(r.record_ref), action: ACTION_NAME[r.action]!, contentId: r.content }));
}

/**
 * Migration 007's step: moves record_history (schema 6, the whole content at every statement) into
 * keys, statements and contents, keeping each statement's id, source, record and action, and
 * storing a key's content again only where it differs from what the key stated before.
 */
export function migrateHistory(db: Db): void {
  const packer = new ContentPacker(db);
  const insertKey = db.prepare('INSERT INTO record_keys (object, key, hash, content) VALUES (?, ?, ?, ?)');
  const insertStatement = db.prepare('INSERT INTO record_statements (id, key_id, source_id, record_ref, action, content) VALUES (?, ?, ?, ?, ?, ?)');
  // in pages, by the index of 001 (record_history_key): the old history of a large case does not fit in memory
  const page = db.prepare(
    `SELECT id, object, object_key, source_id, record_ref, action, content FROM record_history_006
     WHERE (object, object_key, id) > (?, ?, ?) ORDER BY object, object_key, id LIMIT 5000`,
  );
  type Old = { id: number; object: HistoryObject; object_key: string; source_id: number; record_ref: string; action: HistoryAction; content: string };
  let current: { object: string; key: string; statements: unknown[][]; hash: number | null; content: number | null; text: string | null } | undefined;
  const finishKey = () => {
    if (!current) return;
    const keyId = Number(insertKey.run(current.object, current.key, current.hash, current.content).lastInsertRowid);
    for (const s of current.statements) insertStatement.run(s[0], keyId, ...s.slice(1));
  };
  let after: [string, string, number] = ['', '', 0];
  for (;;) {
    const rows = page.all(...after) as Old[];
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    after = [last.object, last.object_key, last.id];
    for (const r of rows) {
      if (!current || current.object !== r.object || current.key !== r.object_key) {
        finishKey();
        current = { object: r.object, key: r.object_key, statements: [], hash: null, content: null, text: null };
      }
      if (r.action === 'delete') {
        current.statements.push([r.id, r.source_id, storedRef(r.record_ref), ACTION_CODE.delete, null]);
        current.hash = null;
        current.content = null;
        current.text = null;
        continue;
      }
      const text = normalizeContent(r.content);
      if (text !== current.text) {
        current.text = text;
        current.hash = contentHash(text);
        current.content = packer.add(text);
      }
      current.statements.push([r.id, r.source_id, storedRef(r.record_ref), ACTION_CODE[r.action], current.content]);
    }
  }
  finishKey();
  packer.flush();
  db.exec('DROP TABLE record_history_006');
}

export interface StatedBy {
  sourceId: number;
  fileName: string;
  recordRef: string;
  action: HistoryAction;
  /** For an update: the fields whose value differs from what the key stated before (else null). */
  differs: string[] | null;
  /** For an update: what the key stated before and what this source says, per differing field (else null). */
  changes: FieldChange[] | null;
}

/** One field where a source said something else than the key stated before, both as short text. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface RecordHistory {
  object: HistoryObject;
  key: string;
  statedBy: StatedBy[];
}

function changedFields(before: string | null, after: string | null): string[] | null {
  if (before === null || after === null) return null;
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...fields].filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).sort();
}

const MAX_TEXT = 200;

/** A stated value as a person reads it: names, countries and identifiers listed, the rest compact JSON. */
function valueText(v: unknown): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const text = Array.isArray(v)
    ? v.map((x) => {
        const o = (x ?? {}) as Record<string, unknown>;
        if (typeof o.role === 'string' && typeof o.text === 'string') return `${o.role} ${o.text}`;
        if (typeof o.scheme === 'string' && typeof o.value === 'string') return `${o.scheme}:${o.value}`;
        if (typeof o.name === 'string') return o.name;
        return JSON.stringify(x);
      }).join(', ')
    : JSON.stringify(v);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Per differing field, before and after; an object of plain values (attributes) by its own keys. */
function fieldChanges(before: string | null, after: string | null, fields: string[] | null): FieldChange[] | null {
  if (before === null || after === null || fields === null) return null;
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return fields.flatMap((f) => {
    const x = a[f], y = b[f];
    if (isPlain(x) && isPlain(y) && f === 'attributes') {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k])).sort();
      return keys.map((k) => ({ field: `${f}.${k}`, before: valueText(x[k]), after: valueText(y[k]) }));
    }
    return [{ field: f, before: valueText(x), after: valueText(y) }];
  });
}

/**
 * Which source said what about an entity: its own records, the links to and from it and its
 * markers, each with every source that stated it (insert, update with the fields that differed,
 * unchanged), deleted it, or no longer contained it (dropped).
 */
export function entityHistory(db: Db, entityId: number): RecordHistory[] {
  const keys = db
    .prepare(
      `SELECT 'entity' AS object, record_key AS key FROM entity_names WHERE entity_id = @id
       UNION SELECT 'entity', scheme || ':' || value FROM identifiers WHERE entity_id = @id
       UNION SELECT 'link', key FROM links WHERE owner_id = @id OR owned_id = @id
       UNION SELECT 'undisclosed', key FROM undisclosed WHERE entity_id = @id`,
    )
    .all({ id: entityId }) as { object: HistoryObject; key: string }[];
  const names = new Map((db.prepare('SELECT id, file_name FROM sources').all() as { id: number; file_name: string }[]).map((s) => [s.id, s.file_name]));
  const read = contentReader(db);
  const out: RecordHistory[] = [];
  for (const k of keys) {
    const statements = statementsOf(db, k.object, k.key);
    if (statements.length === 0) continue;
    let before: string | null = null;
    const statedBy = statements.map((s) => {
      const content = s.contentId === null ? null : read(s.contentId);
      const differs = s.action === 'update' ? changedFields(before, content) : null;
      const changes = s.action === 'update' ? fieldChanges(before, content, differs) : null;
      if (content !== null) before = content;
      return { sourceId: s.sourceId, fileName: names.get(s.sourceId) ?? '', recordRef: s.recordRef, action: s.action, differs, changes };
    });
    out.push({ object: k.object, key: k.key, statedBy });
  }
  return out;
}
