// BODS 0.4 statements: one entity or person record per entity, one relationship record per link,
// each with its source (the file and record it came from). Record and statement ids are stable
// across runs (hashes of our natural keys). Valid against the BODS 0.4 JSON schema
// (test/integration/export/export.test.ts checks it with a real validator).
import { randomUUIDFromKey } from './uuid';
import { assertionNotes, effectiveKind, isAsserted, pct, type ExportModel } from './model';
import type { ExportEntity, ExportLink, ExportSource } from '../store/export';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string | null {
  try {
    return regionNames.of(code) ?? null;
  } catch {
    return null;
  }
}

const INTEREST: Record<string, string> = {
  shares: 'shareholding', votes: 'votingRights', branch: 'otherInfluenceOrControl', 'fund-management': 'otherInfluenceOrControl', other: 'otherInfluenceOrControl',
};
const BASIS_INTEREST: Record<string, string> = { board: 'appointmentOfBoard', consolidation: 'otherInfluenceOrControl', other: 'otherInfluenceOrControl' };

const recordId = (e: ExportEntity) => randomUUIDFromKey(`record|${e.ref}`);

function source(s: ExportSource | null, recordRef: string | null): Record<string, unknown> {
  const official = s && /^(gleif|uk-psc|bods)/.test(s.format);
  return {
    // an investigator's assertion from a document is their own research, never a register's word
    type: [isAsserted(s) ? 'primaryResearch' : official ? 'officialRegister' : 'thirdParty'],
    description: s ? `${isAsserted(s) ? 'investigator assertion: ' : ''}${s.fileName}${recordRef ? ` (${recordRef})` : ''}, SHA-256 ${s.sha256}` : 'Ownerscope case database',
    ...(s?.dataDate ? { retrievedAt: s.dataDate.slice(0, 10) } : {}),
  };
}

function share(s: ExportLink['share']): Record<string, unknown> | undefined {
  if (!s) return undefined;
  if (s.lo === s.hi && !s.loOpen && !s.hiOpen) return { exact: pct(s.lo) };
  // BODS 0.4 states an open end as exclusiveMinimum / exclusiveMaximum (a number), a closed one as minimum / maximum
  return { ...(s.loOpen ? { exclusiveMinimum: pct(s.lo) } : { minimum: pct(s.lo) }), ...(s.hiOpen ? { exclusiveMaximum: pct(s.hi) } : { maximum: pct(s.hi) }) };
}

export function bodsStatements(m: ExportModel, publicationDate: string): unknown[] {
  const publicationDetails = { publicationDate, bodsVersion: '0.4', publisher: { name: 'Ownerscope export' } };
  const date = (s: ExportSource | null) => (s?.dataDate && /^\d{4}-\d{2}-\d{2}/.test(s.dataDate) ? s.dataDate.slice(0, 10) : publicationDate);
  const out: unknown[] = [];
  for (const e of m.entities) {
    const rid = recordId(e);
    const base = { statementId: randomUUIDFromKey(`statement|${e.ref}`), declarationSubject: rid, statementDate: date(e.source), publicationDetails, recordId: rid, recordStatus: 'new', source: source(e.source, e.recordRef) };
    const identifiers = e.identifiers.map((i) => ({ id: i.slice(i.indexOf(':') + 1), scheme: i.slice(0, i.indexOf(':')).toUpperCase() }));
    if (e.kind === 'person') {
      const nat = e.countries.filter((c) => c.role === 'nationality' && c.code).map((c) => ({ code: c.code!.slice(0, 2), name: countryName(c.code!.slice(0, 2)) ?? c.text }));
      out.push({ ...base, recordType: 'person', recordDetails: { isComponent: false, personType: 'knownPerson', names: [{ type: 'legal', fullName: e.name }], ...(identifiers.length ? { identifiers } : {}), ...(nat.length ? { nationalities: nat } : {}) } });
      continue;
    }
    const jur = e.countries.find((c) => c.role === 'jurisdiction' && c.code);
    const kind = effectiveKind(e);
    const type = kind.category === 'STATE' && e.assertedKind ? 'state' : kind.kind === 'state-body' ? 'stateBody' : kind.kind === 'fund' ? 'arrangement' : e.isPlaceholder ? 'unknownEntity' : 'registeredEntity';
    // an asserted kind or listing is the investigator's, not the register's: annotated as such
    const notes = assertionNotes(e);
    out.push({
      ...base, recordType: 'entity',
      ...(notes.length ? { annotations: notes.map((n) => ({ motivation: 'commenting', statementPointerTarget: n.startsWith('kind ') ? '/recordDetails/entityType' : '', description: n })) } : {}),
      recordDetails: {
        isComponent: false, entityType: { type }, name: e.name,
        ...(identifiers.length ? { identifiers } : {}),
        ...(jur ? { jurisdiction: { code: jur.code!.slice(0, 2), name: countryName(jur.code!.slice(0, 2)) ?? jur.text } } : {}),
        ...(e.aliases.length ? { alternateNames: e.aliases } : {}),
      },
    });
  }
  for (const l of m.links) {
    const rid = randomUUIDFromKey(`record|link|${l.key}`);
    const owned = m.byId.get(l.ownedId)!;
    const interest: Record<string, unknown> = {
      type: l.kind === 'control' ? BASIS_INTEREST[l.controlBasis ?? 'other'] ?? 'otherInfluenceOrControl' : INTEREST[l.kind] ?? 'otherInfluenceOrControl',
      directOrIndirect: l.isSummary ? 'indirect' : 'direct',
      details: l.stated.slice(0, 1000),
    };
    const sh = share(l.share);
    if (sh) interest.share = sh;
    if (l.startDate) interest.startDate = l.startDate;
    if (l.endDate) interest.endDate = l.endDate;
    out.push({
      statementId: randomUUIDFromKey(`statement|link|${l.key}`), declarationSubject: recordId(owned), statementDate: date(l.source), publicationDetails,
      recordId: rid, recordStatus: 'new', recordType: 'relationship', source: source(l.source, l.recordRef),
      recordDetails: { isComponent: false, subject: recordId(owned), interestedParty: recordId(m.byId.get(l.ownerId)!), interests: [interest] },
    });
  }
  return out;
}
