// FollowTheMoney JSON lines for OpenSanctions/Aleph tooling: Company / Person / LegalEntity /
// PublicBody per entity, Ownership per shareholding, votes and consolidation link (percentage,
// dates, role), Directorship where control is by appointing the board. Ids are stable across
// runs: a hash of our natural keys ("os-…").
import { assertionNotes, effectiveKind, isAsserted, pct, stableId, type ExportModel } from './model';
import type { ExportEntity, ExportLink } from '../store/export';

const SCHEMA: Record<string, string> = { company: 'Company', person: 'Person', branch: 'Company', fund: 'Company', 'state-body': 'PublicBody', unknown: 'LegalEntity' };

const entityId = (e: ExportEntity) => stableId('os', `entity|${e.ref}`);

function percentage(s: ExportLink['share']): string[] {
  if (!s) return [];
  if (s.lo === s.hi) return [String(pct(s.lo))];
  // FtM's percentage is free text; a range keeps both ends ("25-50"), as OpenSanctions writes bands
  return [`${pct(s.lo)}-${pct(s.hi)}`];
}

export function ftmLines(m: ExportModel): string {
  const lines: string[] = [];
  for (const e of m.entities) {
    const schema = SCHEMA[effectiveKind(e).kind] ?? 'LegalEntity';
    const props: Record<string, string[]> = { name: [e.name] };
    if (e.aliases.length) props.alias = e.aliases;
    const codes = (role: string) => [...new Set(e.countries.filter((c) => c.role === role && c.code).map((c) => c.code!.slice(0, 2).toLowerCase()))];
    if (schema === 'Person') {
      if (codes('nationality').length) props.nationality = codes('nationality');
      if (codes('residence').length) props.country = codes('residence');
    } else {
      if (codes('jurisdiction').length) props.jurisdiction = codes('jurisdiction');
      if (codes('headquarters').length) props.mainCountry = codes('headquarters');
      if (codes('legal-address').length) props.country = codes('legal-address');
    }
    const leis = e.identifiers.filter((i) => i.startsWith('lei:')).map((i) => i.slice(4));
    if (leis.length) props.leiCode = leis;
    const ogrn = e.identifiers.filter((i) => i.startsWith('ru-ogrn:')).map((i) => i.slice(8));
    if (ogrn.length) props.ogrnCode = ogrn;
    if (e.topics.length) props.topics = e.topics;
    if (e.status === 'INACTIVE') props.status = ['inactive'];
    lines.push(JSON.stringify({ id: entityId(e), schema, properties: props, datasets: [isAsserted(e.source) ? 'ownerscope-assertions' : 'ownerscope'], referents: [e.ref] }));
    // an asserted kind or listing: a fragment of the same entity in the assertions dataset (FtM
    // merges fragments by id), so a reader tells the registry's word from the investigator's
    const notes = assertionNotes(e);
    if (notes.length) {
      const topics = [...new Set(e.assertedListings.flatMap((l) => l.topics))];
      lines.push(JSON.stringify({ id: entityId(e), schema, properties: { name: [e.name], ...(topics.length ? { topics } : {}), notes }, datasets: ['ownerscope-assertions'] }));
    }
  }
  for (const l of m.links) {
    const owner = entityId(m.byId.get(l.ownerId)!);
    const owned = entityId(m.byId.get(l.ownedId)!);
    const dates: Record<string, string[]> = {};
    if (l.startDate) dates.startDate = [l.startDate];
    if (l.endDate) dates.endDate = [l.endDate];
    if (l.kind === 'control' && l.controlBasis === 'board') {
      lines.push(JSON.stringify({ id: stableId('os', `link|${l.key}`), schema: 'Directorship', properties: { director: [owner], organization: [owned], role: ['appoints or removes the board'], summary: [l.stated], ...dates }, datasets: [isAsserted(l.source) ? 'ownerscope-assertions' : 'ownerscope'] }));
      continue;
    }
    const role = l.kind === 'branch' ? 'branch' : l.controlBasis === 'consolidation' ? 'consolidation' : l.kind === 'votes' ? 'voting rights' : l.kind === 'fund-management' ? 'fund management' : 'shareholding';
    const props: Record<string, string[]> = { owner: [owner], asset: [owned], role: [l.isSummary ? `${role}, indirect` : role], summary: [l.stated], ...dates };
    const p = percentage(l.share);
    if (p.length) props.percentage = p;
    lines.push(JSON.stringify({ id: stableId('os', `link|${l.key}`), schema: 'Ownership', properties: props, datasets: [isAsserted(l.source) ? 'ownerscope-assertions' : 'ownerscope'] }));
  }
  return lines.map((x) => x + '\n').join('');
}
