// Applies normalized facts to the case database. Called inside the import's transaction;
// upserts by natural keys so a newer file of the same kind updates instead of duplicating,
// and records in record_history which source said what.
import type { Statement } from 'better-sqlite3';
import type { ShareInterval } from '../../../shared/domain/model';
import type {
  DeletionFact,
  EntityFact,
  Fact,
  IdentifierFact,
  LinkFact,
  UndisclosedFact,
} from '../../../shared/formats/facts';
import type { Db } from './db';
import { DIGEST_BYTES, keyHash, type KnownRecords } from '../import/known';
import { ACTION_CODE, ConfirmationPacker, ContentPacker, contentHash, nextStatementId, normalizeContent, sourceConfirmations, storedRef, type HistoryAction, type HistoryObject } from './history';

export interface WriteCounts {
  entities: number;
  links: number;
  markers: number;
  deletions: number;
  /** Records whose key no source had stated before. */
  inserted: number;
  /** Records whose content differs from what their key last stated. */
  changed: number;
  /** Records stating exactly what their key last stated (nothing but the statement is written). */
  unchanged: number;
  /** Records a full file of the same kind stated before and this full file no longer contains (FactWriter.finish). */
  dropped: number;
  placeholders: number;
}

/**
 * Whether a file is a full snapshot of its kind, so that records it no longer contains are
 * marked "no longer stated" (docs/DATABASE.md, "No longer stated"). Only GLEIF files are: a
 * golden copy is the whole register. A GLEIF delta (intra-day, last-day, last-week, last-month
 * files, or any file that deletes records) states only what changed, and absence means nothing.
 */
export function isFullSnapshot(format: string, fileName: string, deletions: number): boolean {
  if (!format.startsWith('gleif-') || deletions > 0) return false;
  return !/delta|intra-?day|last-?(day|week|month)|\b(8h|24h|7d|31d)\b/i.test(fileName);
}

/** The kind of a format: its encoding does not matter (a GLEIF RR CSV golden copy follows an RR XML one). */
export function formatKind(format: string): string {
  return format.replace(/-(xml|csv|json|jsonl)$/, '');
}

/** The sources of a format's kind (formatKind), oldest first: the sources a full snapshot's drop rule reads. */
export function sourceIdsOfKind(db: Db, format: string): number[] {
  const kind = formatKind(format);
  return (db.prepare('SELECT id, format FROM sources ORDER BY id').all() as { id: number; format: string }[]).filter((s) => formatKind(s.format) === kind).map((s) => s.id);
}

export function identifierKey(id: IdentifierFact): string {
  return `${id.scheme}:${id.value}`;
}

function sameIdentifier(a: IdentifierFact, b: IdentifierFact): boolean {
  return a.value === b.value && a.scheme === b.scheme;
}

function shareColumns(s: ShareInterval | null | undefined): [number | null, number | null, number | null, number | null] {
  if (!s) return [null, null, null, null];
  return [s.lo, s.loOpen ? 1 : 0, s.hi, s.hiOpen ? 1 : 0];
}

/**
 * A record as it was stated, passed down with its fact: the fact's JSON, its content hash when the
 * parse worker computed it, and the digest of its raw XML bytes (record_keys.raw) when it has one.
 */
interface Stated {
  content: string;
  hash: number | undefined;
  raw: Uint8Array | null;
}

interface RowTable {
  name: string;
  columns: readonly string[];
}
const NAME_ROWS: RowTable = { name: 'entity_names', columns: ['entity_id', 'record_key', 'name', 'type', 'lang', 'source_id', 'record_ref'] };
const COUNTRY_ROWS: RowTable = {
  name: 'entity_countries',
  columns: ['entity_id', 'record_key', 'role', 'code', 'subdivision', 'text', 'source_id', 'record_ref'],
};
const MAX_ROWS = 4;
/** Identifiers whose entity a writer remembers (FactWriter.entityIds). */
const ENTITY_ID_CACHE = 100_000;

/**
 * The attributes the current rows keep: those a query or view reads (the verdict's record dates
 * and state nature, lists' datasets and sanctions programmes, the quantifier warning on a link).
 * Every other attribute a source states stays answerable in the record's history content
 * (store/history.ts); copying it into the current row doubled the size of a GLEIF case (#13).
 */
const ENTITY_ATTRIBUTES = ['creationDate', 'foundingDate', 'incorporationDate', 'dissolutionDate', 'entityType', 'datasets', 'sanctions'];
const LINK_ATTRIBUTES = ['quantifierSuspect'];

function keptAttributes(attributes: Record<string, string> | undefined, kept: readonly string[]): string {
  if (!attributes) return '{}';
  const out: Record<string, string> = {};
  for (const k of kept) if (attributes[k] !== undefined) out[k] = attributes[k];
  return JSON.stringify(out);
}

/** What ranks a record that gives a merged entity its values: its source's format and data date. */
export interface RecordRank {
  format: string | null;
  /** The source's data date (ISO date or date-time), null when unknown. */
  dataDate: string | null;
}

/**
 * Precedence of the record that gives a merged entity its name, status and kind
 * (docs/VERDICT.md §4b): 1. a registry's record (GLEIF, PSC, BODS, OpenSanctions) over an
 * investigator's CSV; 2. among records of the same class, the record whose source has the later
 * data date; when either data date is unknown (or both are the same day), the later import
 * (a newer file restates). Returns whether the current record keeps the values over the incoming one.
 */
export function outranks(current: RecordRank, incoming: RecordRank): boolean {
  const cur = isRegistryFormat(current.format);
  if (cur !== isRegistryFormat(incoming.format)) return cur;
  const a = dayOf(current.dataDate);
  const b = dayOf(incoming.dataDate);
  return a !== null && b !== null && a > b;
}

/** The calendar day of a data date (sources give dates or date-times); null when not one. */
function dayOf(d: string | null): string | null {
  return d !== null && /^\d{4}-\d{2}-\d{2}/.test(d) ? d.slice(0, 10) : null;
}

function isRegistryFormat(format: string | null): boolean {
  return format !== null && !format.startsWith('csv-');
}

/**
 * A Bloom filter of strings: `has` is false only for a string never added (2^24 bits, 3 probes:
 * about 1% false hits at 1.5M strings, a UK PSC snapshot of a million lines).
 */
class KeyFilter {
  private readonly bits = new Uint32Array(1 << 19);

  add(s: string): void {
    const [a, b] = hashes(s);
    for (let i = 0; i < 3; i++) {
      const h = (a + i * b) & 0xffffff;
      this.bits[h >>> 5]! |= 1 << (h & 31);
    }
  }

  has(s: string): boolean {
    const [a, b] = hashes(s);
    for (let i = 0; i < 3; i++) {
      const h = (a + i * b) & 0xffffff;
      if ((this.bits[h >>> 5]! & (1 << (h & 31))) === 0) return false;
    }
    return true;
  }
}

/** Two 32-bit FNV-1a hashes of a string (different offsets), for the filter's double hashing. */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a >>> 0, (b >>> 0) | 1];
}

export class FactWriter {
  readonly counts: WriteCounts = { entities: 0, links: 0, markers: 0, deletions: 0, inserted: 0, changed: 0, unchanged: 0, dropped: 0, placeholders: 0 };
  private readonly packer: ContentPacker;
  private readonly st: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly sourceId: number,
    /**
     * Replay: write a record that a source stated before back into the current rows, without a new
     * statement (store/sources.ts, when a removed source's facts fall back to another source's).
     */
    private readonly replay = false,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.hasRaw = db.prepare(`SELECT 1 FROM pragma_table_info('record_keys') WHERE name = 'raw'`).get() !== undefined;
    this.st = {
      findId: p('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?'),
      insertId: p('INSERT INTO identifiers (scheme, value, entity_id, source_id, record_ref) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      insertEntity: p(
        `INSERT INTO entities (kind, name, status, registration_status, category, topics, attributes, is_placeholder, source_id, record_ref, record_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getEntity: p(
        `SELECT e.kind, e.record_key, e.topics, e.attributes, e.is_placeholder, s.format AS format, s.data_date AS data_date
         FROM entities e LEFT JOIN sources s ON s.id = e.source_id WHERE e.id = ?`,
      ),
      sourceFormat: p('SELECT format FROM sources WHERE id = ?'),
      // another record adds topics and attributes but does not take over name, status and kind
      updateEntityExtras: p(`UPDATE entities SET kind = ?, topics = ?, attributes = ? WHERE id = ?`),
      holdsOtherOfScheme: p('SELECT 1 FROM identifiers WHERE entity_id = ? AND scheme = ? AND value != ? LIMIT 1'),
      updateEntity: p(
        `UPDATE entities SET kind = ?, name = ?, status = ?, registration_status = ?, category = ?, topics = ?, attributes = ?,
         is_placeholder = 0, source_id = ?, record_ref = ?, record_key = ? WHERE id = ?`,
      ),
      deleteNames: p('DELETE FROM entity_names WHERE entity_id = ? AND record_key = ?'),
      deleteCountries: p('DELETE FROM entity_countries WHERE entity_id = ? AND record_key = ?'),
      // record_keys.raw arrives with migration 014 (the re-import fast path); before it, a constant NULL
      findKey: p(`SELECT id, hash, content, ${this.hasRaw ? 'raw' : 'NULL AS raw'} FROM record_keys WHERE key = ? AND object = ?`),
      insertKey: this.hasRaw
        ? p('INSERT INTO record_keys (object, key, hash, content, raw) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        : p('INSERT INTO record_keys (object, key, hash, content) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      updateKey: this.hasRaw
        ? p('UPDATE record_keys SET hash = ?, content = ?, raw = ? WHERE id = ?')
        : p('UPDATE record_keys SET hash = ?, content = ? WHERE id = ?'),
      setRaw: p(this.hasRaw ? 'UPDATE record_keys SET raw = ? WHERE id = ?' : 'SELECT ?, ?'),
      // ids given here: rows and packed confirmations share one sequence (nextStatementId)
      lastRowSource: p('SELECT source_id FROM record_statements WHERE key_id = ? ORDER BY id DESC LIMIT 1').pluck(),
      insertStatement: p('INSERT INTO record_statements (id, key_id, source_id, record_ref, action, content) VALUES (?, ?, ?, ?, ?, ?)'),
      // Insert or update by key in two plain statements: SQLite's upsert (ON CONFLICT DO UPDATE)
      // costs about twice as much per row as either, and the history tells which one applies.
      insertLink: p(
        `INSERT INTO links (owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated,
           is_summary, start_date, end_date, status, registration_status, attributes, source_id, record_ref, key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      ),
      updateLink: p(
        `UPDATE links SET owner_id = ?, owned_id = ?, kind = ?, control_basis = ?, share_lo = ?, share_lo_open = ?, share_hi = ?,
           share_hi_open = ?, stated = ?, is_summary = ?, start_date = ?, end_date = ?, status = ?, registration_status = ?,
           attributes = ?, source_id = ?, record_ref = ? WHERE key = ?`,
      ),
      insertMarker: p(
        `INSERT INTO undisclosed (entity_id, category, scope, reason, detail, share_lo, share_lo_open, share_hi, share_hi_open,
           start_date, end_date, status, source_id, record_ref, key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      ),
      updateMarker: p(
        `UPDATE undisclosed SET entity_id = ?, category = ?, scope = ?, reason = ?, detail = ?, share_lo = ?, share_lo_open = ?,
           share_hi = ?, share_hi_open = ?, start_date = ?, end_date = ?, status = ?, source_id = ?, record_ref = ? WHERE key = ?`,
      ),
      deleteLink: p('DELETE FROM links WHERE key = ?'),
      deleteMarker: p('DELETE FROM undisclosed WHERE key = ?'),
      retireEntity: p(`UPDATE entities SET status = 'REMOVED', source_id = ?, record_ref = ? WHERE id = ?`),
    };
    this.packer = new ContentPacker(db);
    this.given = !replay && db.prepare('SELECT 1 FROM identifiers LIMIT 1').get() === undefined ? new KeyFilter() : null;
    this.confirmations = new ConfirmationPacker(db, sourceId);
    this.nextId = nextStatementId(db);
    const everDeleted = p(`SELECT 1 FROM record_statements st JOIN record_keys k ON k.id = st.key_id WHERE st.action = 3 AND k.object = ? LIMIT 1`);
    this.deleted = { link: everDeleted.get('link') !== undefined, undisclosed: everDeleted.get('undisclosed') !== undefined };
    // identifier_claims arrives with migration 003 (entity resolution)
    const hasClaims = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'identifier_claims'`).get() !== undefined;
    this.insertClaim = hasClaims
      ? p('INSERT OR IGNORE INTO identifier_claims (scheme, value, entity_id, holder_id, source_id, record_ref) VALUES (?, ?, ?, ?, ?, ?)')
      : undefined;
  }

  private readonly insertClaim: Statement | undefined;
  private readonly hasRaw: boolean;
  /** The keys and contents of the records knownRecords gave the parser, by their index there. */
  private known: { keyIds: Float64Array; contentIds: Float64Array; object: HistoryObject } | null = null;
  /** With `known`: keys this import stated in full (a known record's key must not be one). */
  private statedKeys: Uint8Array = new Uint8Array(0);
  private readonly confirmations: ConfirmationPacker;
  /** The id of this writer's next statement (row or packed confirmation). */
  private nextId: number;
  /** Key ids this import confirmed unchanged in packs (not rows): a full snapshot's drop rule must see them. */
  private confirmedKeys: Uint8Array = new Uint8Array(0);
  /** Whether any link or marker was ever deleted in this case (then a missing row may have a history). */
  private readonly deleted: Record<'link' | 'undisclosed', boolean>;

  /**
   * Gives an identifier to an entity. When another entity already holds it, the identifiers table
   * keeps its owner and the claim is recorded, so entity resolution can link the two.
   */
  private claimId(id: IdentifierFact, entityId: number, recordRef: string): void {
    // already its own: the insert would change nothing and there is nothing to claim
    if (this.entityIds.get(identifierKey(id)) === entityId) return;
    if (this.st.insertId!.run(id.scheme, id.value, entityId, this.sourceId, recordRef).changes > 0) {
      this.gave(identifierKey(id), entityId);
      return;
    }
    if (!this.insertClaim) return;
    const holder = this.findEntity(id);
    if (holder !== undefined && holder !== entityId) {
      this.insertClaim.run(id.scheme, id.value, entityId, holder, this.sourceId, recordRef);
    }
  }

  /**
   * Writes one fact. `content` is the fact as JSON (`JSON.stringify(fact)`) when the caller has it
   * already (the parse worker sends facts as JSON), so it is not serialized twice; `hash` is
   * contentHash(normalizeContent(content)) when the caller computed it (the parse worker does).
   */
  apply(fact: Fact, content?: string, hash?: number, raw: Uint8Array | null = null): void {
    if (fact.type === 'delete') return this.remove(fact);
    // a hash given without its content would not be the content's
    const stated: Stated = content === undefined ? { content: JSON.stringify(fact), hash: undefined, raw } : { content, hash, raw };
    switch (fact.type) {
      case 'entity':
        return this.entity(fact, stated);
      case 'link':
        return this.link(fact, stated);
      case 'undisclosed':
        return this.marker(fact, stated);
    }
  }

  /**
   * Returns the history action; 'unchanged' when the last source said exactly the same. `isNew`:
   * the caller knows no record with this key was ever written (no lookup needed).
   */
  private history(object: HistoryObject, key: string, recordRef: string, stated: Stated, isNew: boolean): HistoryAction {
    if (this.replay) return 'update';
    const { raw } = stated;
    const text = normalizeContent(stated.content);
    const hash = stated.hash ?? contentHash(text);
    let keyId: number | undefined;
    let action: HistoryAction = 'insert';
    let contentId: number | null = null;
    if (isNew) {
      contentId = this.packer.add(text);
      const info = this.insertKey(object, key, hash, contentId, raw);
      // by the callers' rules the key is new; were it not, it is looked up below like any other
      if (info.changes > 0) keyId = Number(info.lastInsertRowid);
      else contentId = null;
    }
    if (keyId === undefined) {
      const known = this.st.findKey!.get(key, object) as { id: number; hash: number | null; content: number | null; raw: Uint8Array | null } | undefined;
      if (!known) {
        contentId = this.packer.add(text);
        keyId = Number(this.insertKey(object, key, hash, contentId, raw).lastInsertRowid);
      } else if (known.hash === hash) {
        keyId = known.id;
        action = 'unchanged';
        contentId = known.content;
        // the digest now says which bytes stated the key last (or nothing: not an XML record's)
        if (this.hasRaw && !sameBytes(known.raw, raw)) this.st.setRaw!.run(raw, known.id);
      } else {
        keyId = known.id;
        action = 'update';
        contentId = contentId ?? this.packer.add(text);
        this.updateKey(hash, contentId, raw, known.id);
      }
    }
    if (this.known) this.statedKeys = setBit(this.statedKeys, keyId);
    const ref = storedRef(recordRef);
    if (action === 'unchanged' && typeof ref === 'bigint' && contentId !== null && this.lastRowIsOfKind(keyId)) {
      // a restated record changes nothing: a few bits in a pack, not a row
      this.confirmations.add({ id: this.nextId++, keyId, line: Number(ref), contentId });
      this.markConfirmed(keyId);
    } else this.st.insertStatement!.run(this.nextId++, keyId, this.sourceId, ref, ACTION_CODE[action], contentId);
    if (action === 'unchanged') this.counts.unchanged++;
    else if (action === 'insert') this.counts.inserted++;
    else this.counts.changed++;
    return action;
  }

  findEntity(id: IdentifierFact): number | undefined {
    const key = identifierKey(id);
    const known = this.entityIds.get(key);
    if (known !== undefined) return known;
    if (this.given && !this.given.has(key)) return undefined;
    const row = this.st.findId!.get(id.scheme, id.value) as { entity_id: number } | undefined;
    if (row) this.remember(key, row.entity_id);
    return row?.entity_id;
  }

  /**
   * Entity ids of identifiers this writer found or gave (an identifier's holder never changes
   * during an import: identifiers are inserted with ON CONFLICT DO NOTHING, never updated). A PSC
   * line names its company and its PSC again in each of its links, and consecutive lines name the
   * same company: one identifier lookup in SQLite per line instead of three or four. Bounded: a
   * register of millions of identifiers is not kept in memory.
   */
  private readonly entityIds = new Map<string, number>();

  private remember(key: string, entityId: number): void {
    if (this.entityIds.size >= ENTITY_ID_CACHE) this.entityIds.clear();
    this.entityIds.set(key, entityId);
  }

  /**
   * When the case held no identifier as this writer began (the first import into a new case), the
   * identifiers are exactly those this writer gave, and a filter of them answers "never seen" for
   * most new identifiers without a lookup in SQLite (one per new entity and per new placeholder: a
   * random-key B-tree search each). A filter hit is looked up as usual. Null otherwise.
   */
  private readonly given: KeyFilter | null;

  /** Records an identifier this writer inserted for an entity. */
  private gave(key: string, entityId: number): void {
    this.given?.add(key);
    this.remember(key, entityId);
  }

  /** The entity an identifier names; a placeholder is created for an identifier never seen before. */
  private entityFor(id: IdentifierFact, recordRef: string): number {
    const found = this.findEntity(id);
    if (found !== undefined) return found;
    const info = this.st.insertEntity!.run('unknown', id.value, null, null, null, '[]', '{}', 1, this.sourceId, recordRef, null);
    const entityId = Number(info.lastInsertRowid);
    this.st.insertId!.run(id.scheme, id.value, entityId, this.sourceId, recordRef);
    this.gave(identifierKey(id), entityId);
    this.counts.placeholders++;
    return entityId;
  }

  /** The importing source's data date, as far as the parser has reported it (null: unknown yet). */
  private dataDate: string | null = null;

  /**
   * Tells the writer the data date of the file being imported as soon as the parser reports it
   * (a GLEIF header comes before its records), so the precedence between records can use it.
   */
  setDataDate(d: string | null): void {
    this.dataDate = d;
  }

  private ownFormat: string | null | undefined;
  private format(): string | null {
    if (this.ownFormat === undefined) this.ownFormat = (this.st.sourceFormat!.pluck().get(this.sourceId) as string | undefined) ?? null;
    return this.ownFormat;
  }

  private entity(f: EntityFact, stated: Stated): void {
    const key = identifierKey(f.ref);
    let entityId = this.findEntity(f.ref);
    // Identifiers are never deleted, and writing an entity record always records its reference
    // identifier: when nobody holds it, no record with this key was written before.
    const action = this.history('entity', key, f.recordRef, stated, entityId === undefined);
    this.counts.entities++;
    for (const other of f.identifiers) {
      if (entityId !== undefined) break;
      if (sameIdentifier(other, f.ref)) continue;
      const candidate = this.findEntity(other);
      // Another identifier (a registry number) proves the same entity only when that entity is not
      // already known under a different identifier of the reference's own scheme: two LEIs that
      // share a registry number (sub-funds, duplicates, data errors) stay two entities.
      if (candidate !== undefined && !this.st.holdsOtherOfScheme!.get(candidate, f.ref.scheme, f.ref.value)) entityId = candidate;
    }
    if (action === 'unchanged' && entityId !== undefined) return;
    const topics = JSON.stringify(f.topics ?? []);
    const attributes = keptAttributes(f.attributes, ENTITY_ATTRIBUTES);
    if (entityId === undefined) {
      const info = this.st.insertEntity!.run(
        f.kind, f.name, f.status ?? null, f.registrationStatus ?? null, f.category ?? null, topics, attributes, 0,
        this.sourceId, f.recordRef, key,
      );
      entityId = Number(info.lastInsertRowid);
    } else {
      const current = this.st.getEntity!.get(entityId) as {
        kind: string; record_key: string | null; topics: string; attributes: string; is_placeholder: number;
        format: string | null; data_date: string | null;
      };
      // A source that cannot tell the kind does not erase what another source knew.
      const kind = f.kind === 'unknown' && current.kind !== 'unknown' ? current.kind : f.kind;
      // Another source's record about the same entity adds list topics and attributes; the same
      // record re-stated replaces them (a delisting removes the topic).
      const isOtherRecord = current.record_key !== null && current.record_key !== key;
      const mergedTopics = isOtherRecord
        ? JSON.stringify([...new Set([...(JSON.parse(current.topics) as string[]), ...(f.topics ?? [])])])
        : topics;
      const mergedAttributes = isOtherRecord
        ? JSON.stringify({ ...(JSON.parse(current.attributes) as Record<string, string>), ...(JSON.parse(attributes) as Record<string, string>) })
        : attributes;
      const kept = current.is_placeholder === 0 && current.record_key !== null &&
        outranks({ format: current.format, dataDate: current.data_date }, { format: this.format(), dataDate: this.dataDate });
      if (kept && !isOtherRecord) {
        // the same record as stated by an older file: the newer statement stands (this one is history)
        for (const id of f.identifiers) this.claimId(id, entityId, f.recordRef);
        return;
      }
      if (kept) {
        // the higher record keeps the entity's name, status and kind (docs/VERDICT.md "Merged
        // records"); the lower record's names and countries are still recorded as its own
        this.st.updateEntityExtras!.run(current.kind === 'unknown' ? kind : current.kind, mergedTopics, mergedAttributes, entityId);
      } else {
        this.st.updateEntity!.run(
          kind, f.name, f.status ?? null, f.registrationStatus ?? null, f.category ?? null, mergedTopics, mergedAttributes,
          this.sourceId, f.recordRef, key, entityId,
        );
      }
      this.st.deleteNames!.run(entityId, key);
      this.st.deleteCountries!.run(entityId, key);
    }
    this.claimId(f.ref, entityId, f.recordRef);
    for (const id of f.identifiers) if (!sameIdentifier(id, f.ref)) this.claimId(id, entityId, f.recordRef);
    const names: unknown[] = [entityId, key, f.name, 'legal', null, this.sourceId, f.recordRef];
    for (const n of f.names) names.push(entityId, key, n.name, n.type, n.lang ?? null, this.sourceId, f.recordRef);
    this.insertRows(NAME_ROWS, names);
    const countries: unknown[] = [];
    for (const c of f.countries) countries.push(entityId, key, c.role, c.code, c.subdivision ?? null, c.text, this.sourceId, f.recordRef);
    this.insertRows(COUNTRY_ROWS, countries);
  }

  private link(f: LinkFact, stated: Stated): void {
    this.counts.links++;
    const owner = this.entityFor(f.owner, f.recordRef);
    const owned = this.entityFor(f.owned, f.recordRef);
    this.keyed('link', f.key, f.recordRef, stated, this.st.insertLink!, this.st.updateLink!, [
      owner, owned, f.kind, f.controlBasis ?? null, ...shareColumns(f.share), f.stated, f.isSummary ? 1 : 0,
      f.startDate ?? null, f.endDate ?? null, f.status, f.registrationStatus ?? null, keptAttributes(f.attributes, LINK_ATTRIBUTES),
      this.sourceId, f.recordRef, f.key,
    ]);
  }

  private marker(f: UndisclosedFact, stated: Stated): void {
    this.counts.markers++;
    const subject = this.entityFor(f.subject, f.recordRef);
    this.keyed('undisclosed', f.key, f.recordRef, stated, this.st.insertMarker!, this.st.updateMarker!, [
      subject, f.category, f.scope, f.reason, f.detail ?? null, ...shareColumns(f.share), f.startDate ?? null,
      f.endDate ?? null, f.status, this.sourceId, f.recordRef, f.key,
    ]);
  }

  /**
   * Writes a link or marker row by its key (the last parameter) and its history. A key with no row
   * that was never deleted was never written: it is inserted without a history lookup. Otherwise the
   * history tells whether the record is unchanged (nothing to write) or replaces the row: a key the
   * history never saw has no row, so it is inserted; a known key is updated, or inserted again when
   * a deletion removed its row.
   */
  private keyed(
    object: 'link' | 'undisclosed', key: string, recordRef: string, stated: Stated, insert: Statement, update: Statement, params: unknown[],
  ): void {
    if (!this.deleted[object] && insert.run(...params).changes > 0) {
      this.history(object, key, recordRef, stated, true);
      return;
    }
    const action = this.history(object, key, recordRef, stated, false);
    if (action === 'unchanged') return;
    const [first, second] = action === 'insert' ? [insert, update] : [update, insert];
    if (first.run(...params).changes === 0) second.run(...params);
  }

  private readonly rowStatements = new Map<string, Statement>();

  /**
   * Inserts rows (their values one after the other) up to MAX_ROWS per statement: an entity's
   * names and countries (usually one to three of each) cost one call into SQLite instead of one each.
   */
  private insertRows(table: RowTable, values: unknown[]): void {
    const width = table.columns.length;
    for (let at = 0; at < values.length; at += width * MAX_ROWS) {
      const count = Math.min(MAX_ROWS, (values.length - at) / width);
      const id = `${table.name}:${count}`;
      let st = this.rowStatements.get(id);
      if (!st) {
        const row = `(${table.columns.map(() => '?').join(', ')})`;
        st = this.db.prepare(`INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')}`);
        this.rowStatements.set(id, st);
      }
      st.run(at === 0 && count * width === values.length ? values : values.slice(at, at + count * width));
    }
  }

  /**
   * Whether the key's latest row is by a source of this import's kind. A full snapshot's drop rule
   * (finish) finds a kind's keys by their rows; a key another kind stated last keeps a row.
   */
  private lastRowIsOfKind(keyId: number): boolean {
    const sourceId = this.st.lastRowSource!.get(keyId) as number | undefined;
    if (sourceId === undefined) return false;
    let kind = this.kinds.get(sourceId);
    if (kind === undefined) this.kinds.set(sourceId, (kind = formatKind((this.st.sourceFormat!.pluck().get(sourceId) as string | undefined) ?? '')));
    return kind === this.ownKind();
  }

  private readonly kinds = new Map<number, string>();
  private kindOfOwn: string | undefined;
  private ownKind(): string {
    return (this.kindOfOwn ??= formatKind(this.format() ?? ''));
  }

  private markConfirmed(keyId: number): void {
    this.confirmedKeys = setBit(this.confirmedKeys, keyId);
  }

  private isConfirmed(keyId: number): boolean {
    return hasBit(this.confirmedKeys, keyId);
  }

  private insertKey(object: HistoryObject, key: string, hash: number | null, content: number | null, raw: Uint8Array | null) {
    return this.hasRaw ? this.st.insertKey!.run(object, key, hash, content, raw) : this.st.insertKey!.run(object, key, hash, content);
  }

  private updateKey(hash: number | null, content: number | null, raw: Uint8Array | null, keyId: number): void {
    if (this.hasRaw) this.st.updateKey!.run(hash, content, raw, keyId);
    else this.st.updateKey!.run(hash, content, keyId);
  }

  /**
   * The re-import fast path (import/known.ts): the digests of the `object` records whose key last
   * stated them from an XML record of the same family (record_keys.raw), sorted, for the parser;
   * confirmKnown then takes a record by its index here. Null when there are none. A digest that is
   * not 16 bytes, or that two keys hold, is left out (a damaged or crafted database): those
   * records are parsed in full.
   */
  knownRecords(object: HistoryObject): KnownRecords | null {
    if (!this.hasRaw || this.replay) return null;
    const rows = this.db
      .prepare(`SELECT raw, id, content, key FROM record_keys WHERE object = ? AND raw IS NOT NULL AND hash IS NOT NULL AND content IS NOT NULL ORDER BY raw`)
      .raw()
      .iterate(object) as IterableIterator<[unknown, number, number, string]>;
    const raws: Buffer[] = [];
    const keyIds: number[] = [];
    const contentIds: number[] = [];
    const hashes: number[] = [];
    let dup: Buffer | null = null;
    for (const [raw, id, content, key] of rows) {
      if (!Buffer.isBuffer(raw) || raw.length !== DIGEST_BYTES || !Number.isInteger(content)) continue;
      const last = raws.at(-1);
      if ((last && last.equals(raw)) || (dup && dup.equals(raw))) {
        if (last && last.equals(raw)) {
          raws.pop(); keyIds.pop(); contentIds.pop(); hashes.pop();
        }
        dup = raw;
        continue;
      }
      raws.push(raw);
      keyIds.push(id);
      contentIds.push(content);
      hashes.push(keyHash(key));
    }
    if (raws.length === 0) return null;
    this.known = { keyIds: Float64Array.from(keyIds), contentIds: Float64Array.from(contentIds), object };
    const digests = new Uint8Array(raws.length * DIGEST_BYTES);
    raws.forEach((r, i) => digests.set(r, i * DIGEST_BYTES));
    return { digests, keyHashes: Uint32Array.from(hashes) };
  }

  /**
   * A record the parser found byte for byte as its key last stated it (the known record `index`,
   * at line `line`): confirmed unchanged, as the full path confirms it (history() with the
   * same content, by a source of the same kind), and nothing else to write.
   */
  confirmKnown(index: number, line: number): void {
    const known = this.known;
    if (!known || !(index >= 0 && index < known.keyIds.length) || !(line > 0)) throw new Error(`import: the parser confirmed record ${index}, which the writer did not give it`);
    const keyId = known.keyIds[index]!;
    // the parser sends a key it saw stated in full the full way (import/known.ts, KeysSeen): were
    // it here, the key's content would no longer be the one its digest was taken from
    if (hasBit(this.statedKeys, keyId)) throw new Error(`import: record at line ${line} was confirmed by its digest after its key was stated in full`);
    this.confirmations.add({ id: this.nextId++, keyId, line, contentId: known.contentIds[index]! });
    this.markConfirmed(keyId);
    this.counts.unchanged++;
    if (known.object === 'entity') this.counts.entities++;
    else if (known.object === 'link') this.counts.links++;
    else this.counts.markers++;
  }

  private remove(f: DeletionFact): void {
    this.counts.deletions++;
    if (f.object !== 'entity') this.deleted[f.object] = true;
    const known = this.st.findKey!.get(f.key, f.object) as { id: number } | undefined;
    const keyId = known ? known.id : Number(this.insertKey(f.object, f.key, null, null, null).lastInsertRowid);
    if (known) this.updateKey(null, null, null, keyId);
    if (this.known) this.statedKeys = setBit(this.statedKeys, keyId);
    this.st.insertStatement!.run(this.nextId++, keyId, this.sourceId, storedRef(f.recordRef), ACTION_CODE.delete, null);
    if (f.object === 'link') this.st.deleteLink!.run(f.key);
    else if (f.object === 'undisclosed') this.st.deleteMarker!.run(f.key);
    else {
      // An entity stays (links and history refer to it) but is marked as removed by its source.
      const [scheme, ...rest] = f.key.split(':');
      const id = this.findEntity({ scheme: scheme!, value: rest.join(':') });
      if (id !== undefined) this.st.retireEntity!.run(this.sourceId, f.recordRef, id);
    }
  }

  /**
   * Ends the writer's part of the import, in its transaction: writes the contents still pending
   * and, for a full snapshot (`isFullSnapshot`), marks every record key that a file of the same
   * kind stated last and this file no longer contains as dropped (a statement; the facts stay).
   */
  finish(options: { fullSnapshot?: boolean } = {}): void {
    this.packer.flush();
    this.confirmations.flush();
    if (!options.fullSnapshot) return;
    // (a kind is its own kind: formatKind leaves it as it is)
    const ofKind = sourceIdsOfKind(this.db, this.ownKind());
    // A packed confirmation later than a key's row (by another source of the kind) restated a
    // key that row says was dropped: rare, so the packs are read only when such a row exists.
    const restated = this.restatedAfterDrop(ofKind);
    // The latest statement of each key by a source of this kind, among the rows (SQLite gives the
    // bare columns of the max(id) row); a packed confirmation is never a key's first statement,
    // so every key of the kind has a row. Collected first: the connection runs nothing else
    // while it iterates.
    const drops: [number, number | string][] = [];
    const latestRows = this.db
      .prepare(
        `SELECT st.key_id, max(st.id) AS id, st.source_id, st.action, st.record_ref FROM record_statements st
         WHERE st.source_id IN (SELECT value FROM json_each(?)) GROUP BY st.key_id`,
      )
      .raw()
      .iterate(JSON.stringify(ofKind)) as IterableIterator<[number, number, number, number, number | string]>;
    for (const [keyId, id, sourceId, action, recordRef] of latestRows) {
      if (sourceId === this.sourceId || this.isConfirmed(keyId)) continue;
      const isGone = action === ACTION_CODE.delete || action === ACTION_CODE.dropped;
      if (isGone && !((restated?.get(keyId) ?? 0) > id)) continue;
      drops.push([keyId, recordRef]);
    }
    const insert = this.st.insertStatement!;
    for (const [keyId, recordRef] of drops) insert.run(this.nextId++, keyId, this.sourceId, recordRef, ACTION_CODE.dropped, null);
    const dropped = drops.length;
    this.counts.dropped += dropped;
  }

  /**
   * Keys whose latest row by a source of this kind says dropped and that a later packed
   * confirmation by another source of the kind restated: key id → id of that confirmation.
   * Null when no key can be in that case (no dropped row, or no packs of the kind).
   */
  private restatedAfterDrop(ofKind: number[]): Map<number, number> | null {
    const firstDrop = this.db
      .prepare(`SELECT min(id) FROM record_statements WHERE action = ${ACTION_CODE.dropped} AND source_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .get(JSON.stringify(ofKind)) as number | null;
    if (firstDrop === null) return null;
    const out = new Map<number, number>();
    for (const sourceId of ofKind) {
      if (sourceId === this.sourceId) continue;
      for (const c of sourceConfirmations(this.db, sourceId)) if (c.id > firstDrop && c.id > (out.get(c.keyId) ?? 0)) out.set(c.keyId, c.id);
    }
    return out;
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** Sets bit `n` of a growable bitset (returned: it may be a new, larger array). */
function setBit(bits: Uint8Array, n: number): Uint8Array {
  if (n >> 3 >= bits.length) {
    const grown = new Uint8Array(Math.max(1024, (n >> 3) * 2));
    grown.set(bits);
    bits = grown;
  }
  bits[n >> 3]! |= 1 << (n & 7);
  return bits;
}

function hasBit(bits: Uint8Array, n: number): boolean {
  return n >> 3 < bits.length && (bits[n >> 3]! & (1 << (n & 7))) !== 0;
}
