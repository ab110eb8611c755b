// CSV export in exactly the shape the plain-CSV importer reads (docs/FORMATS-OTHER.md §4):
// entities.csv, links.csv and undisclosed.csv, so that export → import gives the same graph and
// the same verdicts. Entities only referenced by a link (placeholders) get no row: the import
// creates them again from the link, as the registry import did (unless an assertion is about them).
import { csvText } from '../files/csv';
import { ENTITY_COLUMNS, LINK_COLUMNS, UNDISCLOSED_COLUMNS } from '../../../shared/formats/csv/map';
import { assertionNotes, effectiveKind, isAsserted, pct, type ExportModel } from './model';
import type { ExportLink } from '../store/export';

const ROLE_COLUMN: Record<string, string> = { jurisdiction: 'jurisdiction', headquarters: 'headquarters', 'legal-address': 'legal_address', residence: 'residence', nationality: 'nationality' };

function shareCells(s: ExportLink['share']): string[] {
  if (!s) return ['', '', '', '', ''];
  if (s.lo === s.hi && !s.loOpen && !s.hiOpen) return [String(pct(s.lo)), '', '', '', ''];
  return ['', String(pct(s.lo)), s.loOpen ? 'false' : 'true', String(pct(s.hi)), s.hiOpen ? 'false' : 'true'];
}

export function csvFiles(m: ExportModel): Array<{ name: string; text: string }> {
  const refOf = (id: number) => m.byId.get(id)!.ref;
  // a placeholder an investigator asserted a kind or listing about gets its row: the fact would be lost
  const entities = m.entities.filter((e) => !e.isPlaceholder || e.assertedKind || e.assertedListings.length).map((e) => {
    const i = e.ref.indexOf(':');
    // an asserted kind is written as the entity's kind, like an asserted link as a link, and named
    // in notes. An asserted listing is named in notes only: as a topic it would read as a list
    // imported, which lets a verdict be CLEAR where the one-party listing never does.
    const { kind, category } = effectiveKind(e);
    const row: Record<string, string> = { id: e.ref.slice(i + 1), scheme: e.ref.slice(0, i), name: e.name, kind };
    for (const c of e.countries) {
      const col = ROLE_COLUMN[c.role]!;
      row[col] = row[col] ? `${row[col]};${c.code ?? c.text}` : (c.code ?? c.text);
    }
    row.identifiers = e.identifiers.filter((x) => x !== e.ref).join(';');
    row.aliases = e.aliases.join(';');
    row.topics = e.topics.join(';');
    row.status = e.status ?? '';
    row.category = category ?? '';
    row.notes = assertionNotes(e).join('; ');
    return ENTITY_COLUMNS.map((c) => row[c] ?? '');
  });
  const links = m.links.map((l) => [
    refOf(l.ownerId), refOf(l.ownedId), l.kind, l.controlBasis ?? '', ...shareCells(l.share), l.stated, l.isSummary ? 'true' : 'false',
    l.startDate ?? '', l.endDate ?? '', l.status, l.key, isAsserted(l.source) ? `investigator assertion (${l.source.fileName})` : '',
  ]);
  const markers = m.markers.map((u) => [
    refOf(u.entityId), u.category, u.scope, u.reason, u.detail ?? '', ...shareCells(u.share), u.startDate ?? '', u.endDate ?? '', u.status, u.key,
  ]);
  return [
    { name: 'entities.csv', text: csvText(ENTITY_COLUMNS, entities) },
    { name: 'links.csv', text: csvText(LINK_COLUMNS, links) },
    { name: 'undisclosed.csv', text: csvText(UNDISCLOSED_COLUMNS, markers) },
  ];
}
