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

export interface WriteCounts {
  entities: number;
  links: number;
  markers: number;
  deletions: number;
  unchanged: number;
  placeholders: number;
}

type HistoryAction = 'insert' | 'update' | 'unchanged' | 'delete';

export function identifierKey(id: IdentifierFact): string {
  return `${id.scheme}:${id.value}`;
}

function shareColumns(s: ShareInterval | null | undefined): [number | null, number | null, number | null, number | null] {
  if (!s) return [null, null, null, null];
  return [s.lo, s.loOpen ? 1 : 0, s.hi, s.hiOpen ? 1 : 0];
}

export class FactWriter {
  readonly counts: WriteCounts = { entities: 0, links: 0, markers: 0, deletions: 0, unchanged: 0, placeholders: 0 };
  private readonly st: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly sourceId: number,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      findId: p('SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ?'),
      insertId: p('INSERT OR IGNORE INTO identifiers (scheme, value, entity_id, source_id, record_ref) VALUES (?, ?, ?, ?, ?)'),
      insertEntity: p(
        `INSERT INTO entities (kind, name, status, registration_status, category, topics, attributes, is_placeholder, source_id, record_ref, record_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getEntity: p('SELECT kind, record_key, topics, attributes FROM entities WHERE id = ?'),
      holdsOtherOfScheme: p('SELECT 1 FROM identifiers WHERE entity_id = ? AND scheme = ? AND value != ? LIMIT 1'),
      updateEntity: p(
        `UPDATE entities SET kind = ?, name = ?, status = ?, registration_status = ?, category = ?, topics = ?, attributes = ?,
         is_placeholder = 0, source_id = ?, record_ref = ?, record_key = ? WHERE id = ?`,
      ),
      deleteNames: p('DELETE FROM entity_names WHERE entity_id = ? AND record_key = ?'),
      insertName: p('INSERT INTO entity_names (entity_id, record_key, name, type, lang, source_id, record_ref) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      deleteCountries: p('DELETE FROM entity_countries WHERE entity_id = ? AND record_key = ?'),
      insertCountry: p(
        'INSERT INTO entity_countries (entity_id, record_key, role, code, subdivision, text, source_id, record_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      lastContent: p('SELECT content FROM record_history WHERE object = ? AND object_key = ? ORDER BY id DESC LIMIT 1'),
      insertHistory: p('INSERT INTO record_history (object, object_key, source_id, record_ref, action, content) VALUES (?, ?, ?, ?, ?, ?)'),
      upsertLink: p(
        `INSERT INTO links (key, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated, is_summary,
           start_date, end_date, status, registration_status, attributes, source_id, record_ref)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET owner_id = excluded.owner_id, owned_id = excluded.owned_id, kind = excluded.kind,
           control_basis = excluded.control_basis, share_lo = excluded.share_lo, share_lo_open = excluded.share_lo_open,
           share_hi = excluded.share_hi, share_hi_open = excluded.share_hi_open, stated = excluded.stated,
           is_summary = excluded.is_summary, start_date = excluded.start_date, end_date = excluded.end_date,
           status = excluded.status, registration_status = excluded.registration_status, attributes = excluded.attributes,
           source_id = excluded.source_id, record_ref = excluded.record_ref`,
      ),
      upsertMarker: p(
        `INSERT INTO undisclosed (key, entity_id, category, scope, reason, detail, share_lo, share_lo_open, share_hi, share_hi_open,
           start_date, end_date, status, source_id, record_ref)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET entity_id = excluded.entity_id, category = excluded.category, scope = excluded.scope,
           reason = excluded.reason, detail = excluded.detail, share_lo = excluded.share_lo, share_lo_open = excluded.share_lo_open,
           share_hi = excluded.share_hi, share_hi_open = excluded.share_hi_open, start_date = excluded.start_date,
           end_date = excluded.end_date, status = excluded.status, source_id = excluded.source_id, record_ref = excluded.record_ref`,
      ),
      deleteLink: p('DELETE FROM links WHERE key = ?'),
      deleteMarker: p('DELETE FROM undisclosed WHERE key = ?'),
      retireEntity: p(`UPDATE entities SET status = 'REMOVED', source_id = ?, record_ref = ? WHERE id = ?`),
    };
    // identifier_claims arrives with migration 003 (entity resolution)
    const hasClaims = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'identifier_claims'`).get() !== undefined;
    this.insertClaim = hasClaims
      ? p('INSERT OR IGNORE INTO identifier_claims (scheme, value, entity_id, holder_id, source_id, record_ref) VALUES (?, ?, ?, ?, ?, ?)')
      : undefined;
  }

  private readonly insertClaim: Statement | undefined;

  /**
   * Gives an identifier to an entity. When another entity already holds it, the identifiers table
   * keeps its owner and the claim is recorded, so entity resolution can link the two.
   */
  private claimId(id: IdentifierFact, entityId: number, recordRef: string): void {
    if (this.st.insertId!.run(id.scheme, id.value, entityId, this.sourceId, recordRef).changes > 0 || !this.insertClaim) return;
    const holder = this.findEntity(id);
    if (holder !== undefined && holder !== entityId) {
      this.insertClaim.run(id.scheme, id.value, entityId, holder, this.sourceId, recordRef);
    }
  }

  apply(fact: Fact): void {
    switch (fact.type) {
      case 'entity':
        return this.entity(fact);
      case 'link':
        return this.link(fact);
      case 'undisclosed':
        return this.marker(fact);
      case 'delete':
        return this.remove(fact);
    }
  }

  /** Returns the history action; 'unchanged' when the last source said exactly the same. */
  private history(object: 'entity' | 'link' | 'undisclosed', key: string, recordRef: string, content: string): HistoryAction {
    const last = this.st.lastContent!.get(object, key) as { content: string } | undefined;
    const action: HistoryAction = !last ? 'insert' : last.content === content ? 'unchanged' : 'update';
    this.st.insertHistory!.run(object, key, this.sourceId, recordRef, action, content);
    if (action === 'unchanged') this.counts.unchanged++;
    return action;
  }

  findEntity(id: IdentifierFact): number | undefined {
    const row = this.st.findId!.get(id.scheme, id.value) as { entity_id: number } | undefined;
    return row?.entity_id;
  }

  /** The entity an identifier names; a placeholder is created for an identifier never seen before. */
  private entityFor(id: IdentifierFact, recordRef: string): number {
    const found = this.findEntity(id);
    if (found !== undefined) return found;
    const info = this.st.insertEntity!.run('unknown', id.value, null, null, null, '[]', '{}', 1, this.sourceId, recordRef, null);
    const entityId = Number(info.lastInsertRowid);
    this.st.insertId!.run(id.scheme, id.value, entityId, this.sourceId, recordRef);
    this.counts.placeholders++;
    return entityId;
  }

  private entity(f: EntityFact): void {
    const key = identifierKey(f.ref);
    const content = JSON.stringify(f);
    const action = this.history('entity', key, f.recordRef, content);
    this.counts.entities++;
    let entityId = this.findEntity(f.ref);
    for (const other of f.identifiers) {
      if (entityId !== undefined) break;
      const candidate = this.findEntity(other);
      // Another identifier (a registry number) proves the same entity only when that entity is not
      // already known under a different identifier of the reference's own scheme: two LEIs that
      // share a registry number (sub-funds, duplicates, data errors) stay two entities.
      if (candidate !== undefined && !this.st.holdsOtherOfScheme!.get(candidate, f.ref.scheme, f.ref.value)) entityId = candidate;
    }
    if (action === 'unchanged' && entityId !== undefined) return;
    const topics = JSON.stringify(f.topics ?? []);
    const attributes = JSON.stringify(f.attributes ?? {});
    if (entityId === undefined) {
      const info = this.st.insertEntity!.run(
        f.kind, f.name, f.status ?? null, f.registrationStatus ?? null, f.category ?? null, topics, attributes, 0,
        this.sourceId, f.recordRef, key,
      );
      entityId = Number(info.lastInsertRowid);
    } else {
      const current = this.st.getEntity!.get(entityId) as { kind: string; record_key: string | null; topics: string; attributes: string };
      // A source that cannot tell the kind does not erase what another source knew.
      const kind = f.kind === 'unknown' && current.kind !== 'unknown' ? current.kind : f.kind;
      // Another source's record about the same entity adds list topics and attributes; the same
      // record re-stated replaces them (a delisting removes the topic).
      const isOtherRecord = current.record_key !== null && current.record_key !== key;
      const mergedTopics = isOtherRecord
        ? JSON.stringify([...new Set([...(JSON.parse(current.topics) as string[]), ...(f.topics ?? [])])])
        : topics;
      const mergedAttributes = isOtherRecord
        ? JSON.stringify({ ...(JSON.parse(current.attributes) as Record<string, string>), ...(f.attributes ?? {}) })
        : attributes;
      this.st.updateEntity!.run(
        kind, f.name, f.status ?? null, f.registrationStatus ?? null, f.category ?? null, mergedTopics, mergedAttributes,
        this.sourceId, f.recordRef, key, entityId,
      );
      this.st.deleteNames!.run(entityId, key);
      this.st.deleteCountries!.run(entityId, key);
    }
    this.claimId(f.ref, entityId, f.recordRef);
    for (const id of f.identifiers) this.claimId(id, entityId, f.recordRef);
    this.st.insertName!.run(entityId, key, f.name, 'legal', null, this.sourceId, f.recordRef);
    for (const n of f.names) this.st.insertName!.run(entityId, key, n.name, n.type, n.lang ?? null, this.sourceId, f.recordRef);
    for (const c of f.countries) {
      this.st.insertCountry!.run(entityId, key, c.role, c.code, c.subdivision ?? null, c.text, this.sourceId, f.recordRef);
    }
  }

  private link(f: LinkFact): void {
    const action = this.history('link', f.key, f.recordRef, JSON.stringify(f));
    this.counts.links++;
    if (action === 'unchanged') return;
    const owner = this.entityFor(f.owner, f.recordRef);
    const owned = this.entityFor(f.owned, f.recordRef);
    this.st.upsertLink!.run(
      f.key, owner, owned, f.kind, f.controlBasis ?? null, ...shareColumns(f.share), f.stated, f.isSummary ? 1 : 0,
      f.startDate ?? null, f.endDate ?? null, f.status, f.registrationStatus ?? null, JSON.stringify(f.attributes ?? {}),
      this.sourceId, f.recordRef,
    );
  }

  private marker(f: UndisclosedFact): void {
    const action = this.history('undisclosed', f.key, f.recordRef, JSON.stringify(f));
    this.counts.markers++;
    if (action === 'unchanged') return;
    const subject = this.entityFor(f.subject, f.recordRef);
    this.st.upsertMarker!.run(
      f.key, subject, f.category, f.scope, f.reason, f.detail ?? null, ...shareColumns(f.share), f.startDate ?? null,
      f.endDate ?? null, f.status, this.sourceId, f.recordRef,
    );
  }

  private remove(f: DeletionFact): void {
    this.counts.deletions++;
    this.st.insertHistory!.run(f.object, f.key, this.sourceId, f.recordRef, 'delete', '{}');
    if (f.object === 'link') this.st.deleteLink!.run(f.key);
    else if (f.object === 'undisclosed') this.st.deleteMarker!.run(f.key);
    else {
      // An entity stays (links and history refer to it) but is marked as removed by its source.
      const [scheme, ...rest] = f.key.split(':');
      const id = this.findEntity({ scheme: scheme!, value: rest.join(':') });
      if (id !== undefined) this.st.retireEntity!.run(this.sourceId, f.recordRef, id);
    }
  }
}
