// Investigator-asserted facts for the app (issue 14): the same rules as `ownerscope assert`
// (electron/backend/assertions, shared/domain/assertions parseShare), attributed to the case
// database's investigator (investigator.get). A document is a file uploaded with file.upload or
// picked with file.pick in this run (no other path of the disk), read here and stored in the case
// database; or a reference text.
import path from 'node:path';
import type { Input } from '../../../shared/api/contract';
import { DEFAULT_LISTED_TOPIC, checkTopic, normalizeCountry, parseShare } from '../../../shared/domain/assertions';
import { AssertionError, addAssertion, listAssertions, retractAssertion, type AssertionInfo, type DocumentInput } from '../assertions/assertions';
import { mediaTypeOf } from '../files/media-type';
import { MAX_BYTES, readRegularFile } from '../files/safe-path';
import { resolutionGroups } from '../resolve';
import type { AssertedFact } from '../store/assertions';
import { writeTurn } from '../store/concurrency';
import type { Db } from '../store/db';
import { RefError, resolveRef } from '../store/queries';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import type { HandlerGroup } from './handlers';
import { actor } from './investigator';

type AssertionMethods = 'assertion.list' | 'assertion.link' | 'assertion.location' | 'assertion.entity' | 'assertion.kind' | 'assertion.listed' | 'assertion.retract';
type Cited = Input<'assertion.link'>;

/** A REF of the input, or a not-found failure naming the field it came from. */
function entityRef(db: Db, ref: string, field: string): number {
  try {
    return resolveRef(db, ref);
  } catch (e) {
    if (e instanceof RefError) throw new ApiFailure('not-found', `${field} ${ref}: ${e.message}`, field);
    throw e;
  }
}

/**
 * Exactly one of a document and a reference; a document is a file the user uploaded or picked in
 * this run (Backend.isOffered), read before the write turn.
 */
function documentOf(b: Backend, i: Pick<Cited, 'document' | 'reference'>): DocumentInput {
  const hasDocument = i.document !== undefined;
  const reference = i.reference?.trim();
  if (hasDocument === (reference !== undefined && reference !== '')) {
    throw new ApiFailure('invalid-input', 'give exactly one of a document (a file) and a reference (a URL, a registry extract number): no fact without one', hasDocument ? 'reference' : 'document');
  }
  if (reference) return { reference };
  if (!b.isOffered(i.document!)) {
    throw new ApiFailure('unauthorized', 'the document must be a file you uploaded (file.upload) or picked (file.pick) in this session', 'document');
  }
  return { fileName: path.basename(i.document!), content: readRegularFile(i.document, MAX_BYTES.attachment, 'document'), mediaType: mediaTypeOf(i.document!) };
}

function country(code: string): string {
  const c = normalizeCountry(code);
  if (!c) throw new ApiFailure('invalid-input', `must be an ISO 3166-1 alpha-2 code (e.g. CN), got "${code}"`, 'country');
  return c;
}

/** Records the fact (built inside the write turn, where the REFs resolve) and returns it as listed. */
async function record(b: Backend, i: Pick<Cited, 'document' | 'reference' | 'cite' | 'why'>, fact: (db: Db) => AssertedFact): Promise<AssertionInfo> {
  const db = b.requireDb();
  const by = actor(b);
  if (!i.why.trim()) throw new ApiFailure('invalid-input', 'say why: no fact without a reason', 'why');
  const document = documentOf(b, i);
  return writeTurn(db, () => addAssertion(db, { fact: fact(db), document, cite: i.cite?.trim() || null, reason: i.why, actor: by }));
}

export const assertionHandlers: HandlerGroup<AssertionMethods> = {
  async 'assertion.list'(i, b) {
    const db = b.requireDb();
    if (i.ref === undefined) return listAssertions(db);
    // the entity as the verdict and the graph read it: every record resolution merged into it
    const groups = resolutionGroups(db);
    const id = groups.canonical(entityRef(db, i.ref, 'ref'));
    return listAssertions(db, { entityIds: groups.members(id) });
  },
  async 'assertion.link'(i, b) {
    const kind = i.kind ?? 'shares';
    let share = null;
    // a holding of shares or votes states its share; control may
    if (i.share !== undefined || kind !== 'control') {
      if (i.share === undefined) throw new ApiFailure('invalid-input', 'a holding of shares or votes needs its share (60, 60%, 25-50 or (25,50])', 'share');
      const parsed = parseShare(i.share);
      if ('error' in parsed) throw new ApiFailure('invalid-input', parsed.error, 'share');
      share = parsed.share;
    }
    if (i.from && i.to && i.to < i.from) throw new ApiFailure('invalid-input', `${i.to} is before from (${i.from})`, 'to');
    if (i.basis && kind !== 'control') throw new ApiFailure('invalid-input', 'a basis is for a control link (kind "control")', 'basis');
    return record(b, i, (db) => ({
      fact: 'link', ownerId: entityRef(db, i.owner, 'owner'), ownedId: entityRef(db, i.owned, 'owned'), kind,
      controlBasis: kind === 'control' ? (i.basis ?? 'other') : null, share, stated: i.share?.trim() ?? 'control', startDate: i.from ?? null, endDate: i.to ?? null,
    }));
  },
  async 'assertion.location'(i, b) {
    const code = country(i.country);
    return await record(b, i, (db) => ({ fact: 'location', entityId: entityRef(db, i.ref, 'ref'), role: i.role, code }));
  },
  async 'assertion.entity'(i, b) {
    const identifiers = (i.ids ?? []).map((x) => {
      const k = x.indexOf(':');
      return { scheme: x.slice(0, k), value: x.slice(k + 1) };
    });
    const code = i.country === undefined ? null : country(i.country);
    const a = await record(b, i, () => ({ fact: 'entity', name: i.name, kind: i.kind, identifiers, country: code }));
    // its REF, as `ownerscope assert entity` prints it: the first identifier given, else asserted:ID
    const first = a.content.fact === 'entity' ? a.content.identifiers[0] : undefined;
    return { assertion: a, ref: first ? `${first.scheme}:${first.value}` : `asserted:${a.id}`, entityId: a.entityId };
  },
  async 'assertion.kind'(i, b) {
    return await record(b, i, (db) => ({ fact: 'kind', entityId: entityRef(db, i.ref, 'ref'), kind: i.kind }));
  },
  async 'assertion.listed'(i, b) {
    const list = i.list.trim();
    if (!list) throw new ApiFailure('invalid-input', 'name the list the party is on (e.g. OFAC SDN)', 'list');
    // as `ownerscope assert listed`: without topics, the presets' `sanction`
    const topics = (i.topics ?? [DEFAULT_LISTED_TOPIC]).map((t, k) => {
      const c = checkTopic(t);
      if ('error' in c) throw new ApiFailure('invalid-input', c.error, `topics[${k}]`);
      return c.topic;
    });
    return await record(b, i, (db) => ({ fact: 'listed', entityId: entityRef(db, i.ref, 'ref'), list, topics }));
  },
  async 'assertion.retract'(i, b) {
    const db = b.requireDb();
    const by = actor(b);
    try {
      return await writeTurn(db, () => retractAssertion(db, i.id, i.why, by));
    } catch (e) {
      // the rules name the CLI's argument; here the field is `id`
      if (e instanceof AssertionError && e.field === 'ASSERTION_ID') throw new ApiFailure(e.code === 'not-found' ? 'not-found' : 'invalid-input', e.message, 'id');
      throw e;
    }
  },
};
