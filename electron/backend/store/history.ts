// Which source said what, without copies (migration 007): record_keys (one row per record key,
// with the hash of what it last stated), record_statements (a few integers per record an import
// stated) and record_contents (each distinct content once, packed and deflated).
import { hash } from 'node:crypto';
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
 * Deflate level of the packs. Measured on the contents of a 50,000-entity CSV import: level 3
 * deflates in a third of level 6's time (deflate was 7% of the writing thread, the import's
 * bottleneck) for packs 24% larger, which is 1% of the case database (record_contents is 4% of it).
 */
const DEFLATE_LEVEL = 3;

/**
 * The content a statement is compared and stored by: the fact's JSON without its record reference
 * (the statement carries that), so a record that only moved to another line of a newer file is
 * unchanged.
 */
export function normalizeContent(json: string): string {
  return json.replace(/"recordRef":"(?:[^"\\]|\\.)*",?/, '');
}

/**
 * 48 bits of SHA-1: exact in a JavaScript number and in SQLite's integer. The one-shot crypto.hash
 * (the same digest as createHash) costs a third of a Hash object per record on an import's
 * writing thread.
 */
export function contentHash(content: string): number {
  return hash('sha1', content, 'buffer').readUIntBE(0, 6);
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
    this.insert.run(this.next, this.pending.length, deflateRawSync(this.pending.join('\n'), { level: DEFLATE_LEVEL }));
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

/** One unchanged confirmation packed in record_confirmations (migration 012). */
export interface Confirmation {
  id: number;
  keyId: number;
  line: number;
  contentId: number;
}

/**
 * Confirmations per pack: a key's lookup (the entity view, the change check after an import)
 * inflates one pack per import that confirmed it; 512 keep that at tens of microseconds and
 * still pack to about a byte and a half per confirmation.
 */
const PACK_CONFIRMATIONS = 512;

// a pack and its key-id span: written by ConfirmationPacker, and again by unpackConfirmations
const INSERT_PACK = 'INSERT INTO record_confirmations (first_id, last_id, count, source_id, min_key, max_key, data) VALUES (?, ?, ?, ?, ?, ?, ?)';
const INSERT_SPAN = 'INSERT INTO record_confirmations_span (first_id, min_key, max_key) VALUES (?, ?, ?)';

function putVarint(out: number[], n: number): void {
  // zigzag: small negative deltas stay small
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 0x80) {
    out.push((z % 0x80) | 0x80);
    z = Math.floor(z / 0x80);
  }
  out.push(z);
}

/** A pack that does not decode: the case database was altered or damaged. */
export class DamagedPackError extends Error {
  constructor(firstId: number, why: string) {
    super(`record_confirmations: the pack of statement ${firstId} ${why} (the case database is damaged or was altered)`);
    this.name = 'DamagedPackError';
  }
}

function decodeConfirmations(data: Buffer, firstId: number, count: number): Confirmation[] {
  // a pack holds at most PACK_CONFIRMATIONS entries of four varints of at most 8 bytes: anything
  // larger, or inflating to more (a deflate bomb in a crafted file), is refused, not decoded
  if (!Number.isInteger(count) || count < 1 || count > PACK_CONFIRMATIONS) throw new DamagedPackError(firstId, `says it holds ${count} confirmations`);
  let bytes: Buffer;
  try {
    bytes = inflateRawSync(data, { maxOutputLength: count * 32 });
  } catch (e) {
    throw new DamagedPackError(firstId, `does not inflate (${(e as Error).message})`);
  }
  const out: Confirmation[] = [];
  let pos = 0;
  const next = (): number => {
    let z = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length || scale > 2 ** 49) throw new DamagedPackError(firstId, 'ends inside a number');
      const b = bytes[pos++]!;
      z += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  };
  let prev = { id: firstId, keyId: 0, line: 0, contentId: 0 };
  for (let i = 0; i < count; i++) {
    // in the order written: id, key, line, content (the first id's delta is 0: the row has it)
    const id = prev.id + next();
    const keyId = prev.keyId + next();
    const line = prev.line + next();
    const c = { id, keyId, line, contentId: prev.contentId + next() };
    out.push(c);
    prev = c;
  }
  return out;
}

/**
 * Packs an import's unchanged confirmations whose record reference is a line number: a few bits
 * each instead of a row (the others, and everything that changed something, stay rows of
 * record_statements). `flush` must run before the transaction commits (FactWriter.finish does).
 */
export class ConfirmationPacker {
  private pending: Confirmation[] = [];
  private readonly insert: Statement;
  private readonly insertSpan: Statement;

  constructor(
    db: Db,
    private readonly sourceId: number,
  ) {
    this.insert = db.prepare(INSERT_PACK);
    this.insertSpan = db.prepare(INSERT_SPAN);
  }

  add(c: Confirmation): void {
    this.pending.push(c);
    if (this.pending.length >= PACK_CONFIRMATIONS) this.flush();
  }

  flush(): void {
    const p = this.pending;
    if (p.length === 0) return;
    writePack(this.insert, this.insertSpan, this.sourceId, p);
    this.pending = [];
  }
}

/** Writes one pack of confirmations (in id order, at most PACK_CONFIRMATIONS) and its span. */
function writePack(insert: Statement, insertSpan: Statement, sourceId: number, p: Confirmation[]): void {
  const out: number[] = [];
  let prev = { id: p[0]!.id, keyId: 0, line: 0, contentId: 0 };
  let minKey = p[0]!.keyId;
  let maxKey = p[0]!.keyId;
  for (const c of p) {
    putVarint(out, c.id - prev.id);
    putVarint(out, c.keyId - prev.keyId);
    putVarint(out, c.line - prev.line);
    putVarint(out, c.contentId - prev.contentId);
    prev = c;
    if (c.keyId < minKey) minKey = c.keyId;
    if (c.keyId > maxKey) maxKey = c.keyId;
  }
  insert.run(p[0]!.id, p.at(-1)!.id, p.length, sourceId, minKey, maxKey, deflateRawSync(Buffer.from(out), { level: DEFLATE_LEVEL }));
  insertSpan.run(p[0]!.id, minKey, maxKey);
}

/**
 * Turns packed confirmations back into rows of record_statements, with the same ids (their place
 * in the one sequence of statements stays), and takes them out of their packs. A source's removal
 * does it for a key that would otherwise be stated by its kind in packs only: the drop rule of a
 * full snapshot (FactWriter.finish) finds a kind's keys by their rows.
 */
export function unpackConfirmations(db: Db, confirmations: (Confirmation & { sourceId: number; firstId: number })[]): void {
  if (confirmations.length === 0) return;
  const byPack = new Map<number, Set<number>>();
  for (const c of confirmations) (byPack.get(c.firstId) ?? byPack.set(c.firstId, new Set()).get(c.firstId)!).add(c.id);
  const row = db.prepare(`INSERT INTO record_statements (id, key_id, source_id, record_ref, action, content) VALUES (?, ?, ?, ?, ${ACTION_CODE.unchanged}, ?)`);
  const pack = db.prepare('SELECT first_id, count, source_id, data FROM record_confirmations WHERE first_id = ?');
  const drop = db.prepare('DELETE FROM record_confirmations WHERE first_id = ?');
  const dropSpan = db.prepare('DELETE FROM record_confirmations_span WHERE first_id = ?');
  const insert = db.prepare(INSERT_PACK);
  const insertSpan = db.prepare(INSERT_SPAN);
  for (const [firstId, ids] of byPack) {
    const p = pack.get(firstId) as PackRow | undefined;
    if (!p) continue;
    const all = decodeConfirmations(p.data, p.first_id, p.count);
    const kept = all.filter((c) => !ids.has(c.id));
    for (const c of all) if (ids.has(c.id)) row.run(c.id, c.keyId, p.source_id, c.line, c.contentId);
    dropSpan.run(firstId);
    drop.run(firstId);
    if (kept.length) writePack(insert, insertSpan, p.source_id, kept);
  }
}

type PackRow = { first_id: number; count: number; source_id: number; data: Buffer };

/** The packed confirmations of `keyId`, with their source, oldest first. */
export function confirmationsOf(db: Db, keyId: number): (Confirmation & { sourceId: number })[] {
  const packs = db
    .prepare(`SELECT c.first_id, c.count, c.source_id, c.data FROM record_confirmations_span s JOIN record_confirmations c ON c.first_id = s.first_id WHERE s.min_key <= ? AND s.max_key >= ? ORDER BY c.first_id`)
    .all(keyId, keyId) as PackRow[];
  return packs.flatMap((p) => decodeConfirmations(p.data, p.first_id, p.count).filter((c) => c.keyId === keyId).map((c) => ({ ...c, sourceId: p.source_id })));
}

/** Removes a source's packs (its removal, store/sources.ts). */
export function deleteConfirmations(db: Db, sourceId: number): void {
  db.prepare('DELETE FROM record_confirmations_span WHERE first_id IN (SELECT first_id FROM record_confirmations WHERE source_id = ?)').run(sourceId);
  db.prepare('DELETE FROM record_confirmations WHERE source_id = ?').run(sourceId);
}

/** Every packed confirmation of one source (or of all sources), pack by pack. */
export function* sourceConfirmations(db: Db, sourceId?: number): Generator<Confirmation & { sourceId: number }> {
  const packs = (sourceId === undefined
    ? db.prepare('SELECT first_id, count, source_id, data FROM record_confirmations ORDER BY first_id')
    : db.prepare('SELECT first_id, count, source_id, data FROM record_confirmations WHERE source_id = ? ORDER BY first_id').bind(sourceId)
  ).iterate() as IterableIterator<PackRow>;
  for (const p of packs) for (const c of decodeConfirmations(p.data, p.first_id, p.count)) yield { ...c, sourceId: p.source_id };
}

/** The id the next statement (row or packed confirmation) gets: one sequence over both. */
export function nextStatementId(db: Db): number {
  const row = db.prepare('SELECT max(coalesce((SELECT max(id) FROM record_statements), 0), coalesce((SELECT max(last_id) FROM record_confirmations), 0)) AS m').get() as { m: number };
  return row.m + 1;
}

/** Every statement about one record key, rows and packed confirmations, oldest first. */
export function statementsOf(db: Db, object: HistoryObject, key: string): Statement7[] {
  const keyId = db.prepare('SELECT id FROM record_keys WHERE key = ? AND object = ?').pluck().get(key, object) as number | undefined;
  if (keyId === undefined) return [];
  return statementsOfKey(db, keyId);
}

export function statementsOfKey(db: Db, keyId: number): Statement7[] {
  const rows = (
    db.prepare('SELECT id, source_id, record_ref, action, content FROM record_statements WHERE key_id = ? ORDER BY id').all(keyId) as {
      id: number; source_id: number; record_ref: number | string; action: number; content: number | null;
    }[]
  ).map((r) => ({ id: r.id, sourceId: r.source_id, recordRef: refText(r.record_ref), action: ACTION_NAME[r.action]!, contentId: r.content }));
  const packed = confirmationsOf(db, keyId).map((c) => ({ id: c.id, sourceId: c.sourceId, recordRef: refText(c.line), action: 'unchanged' as const, contentId: c.contentId }));
  return packed.length ? [...rows, ...packed].sort((a, b) => a.id - b.id) : rows;
}

/** The whole history as record_history's rows (the view shows rows only): for checks and tests. */
export function historyRows(db: Db): { id: number; object: HistoryObject; object_key: string; source_id: number; record_ref: string; action: HistoryAction; content_id: number | null }[] {
  const rows = db.prepare('SELECT id, object, object_key, source_id, record_ref, action, content_id FROM record_history').all() as ReturnType<typeof historyRows>;
  const keys = db.prepare('SELECT object, key FROM record_keys WHERE id = ?');
  for (const c of sourceConfirmations(db)) {
    const k = keys.get(c.keyId) as { object: HistoryObject; key: string };
    rows.push({ id: c.id, object: k.object, object_key: k.key, source_id: c.sourceId, record_ref: refText(c.line), action: 'unchanged', content_id: c.contentId });
  }
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * The latest packed confirmation of a key, for many keys in a row (a source's removal): decoded
 * packs are kept while keys are asked in increasing order, so each pack is inflated about once.
 */
export function latestConfirmationReader(db: Db): (keyId: number, sources?: ReadonlySet<number>) => (Confirmation & { sourceId: number; firstId: number }) | undefined {
  const spanning = db.prepare(`SELECT c.first_id, c.count, c.source_id, c.data FROM record_confirmations_span s JOIN record_confirmations c ON c.first_id = s.first_id WHERE s.min_key <= ? AND s.max_key >= ?`);
  const cache = new Map<number, Map<number, Confirmation & { sourceId: number; firstId: number }>>();
  // `sources`: only confirmations by these sources
  return (keyId, sources) => {
    let best: (Confirmation & { sourceId: number; firstId: number }) | undefined;
    for (const p of spanning.all(keyId, keyId) as PackRow[]) {
      if (sources && !sources.has(p.source_id)) continue;
      let byKey = cache.get(p.first_id);
      if (!byKey) {
        if (cache.size >= 256) cache.clear();
        byKey = new Map();
        for (const c of decodeConfirmations(p.data, p.first_id, p.count)) byKey.set(c.keyId, { ...c, sourceId: p.source_id, firstId: p.first_id });
        cache.set(p.first_id, byKey);
      }
      const c = byKey.get(keyId);
      if (c && (!best || c.id > best.id)) best = c;
    }
    return best;
  };
}
