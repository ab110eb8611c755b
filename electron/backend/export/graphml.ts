// GraphML and GEXF for Gephi, yEd, networkx, i2 and Maltego importers: nodes with name, kind,
// countries, identifiers and the restricted-origin flag under the policy; edges with kind, share,
// stated text, dates and source. Attribute keys are declared with their types, as readers expect.
import { assertionNotes, countryCodes, effectiveKind, effectiveTopics, hasAssertedFacts, isAsserted, shareText, xmlEscape as x, type ExportModel } from './model';

const NODE_ATTRS = [
  ['name', 'string'], ['kind', 'string'], ['countries', 'string'], ['identifiers', 'string'], ['restricted', 'boolean'], ['restricted_why', 'string'], ['asserted', 'boolean'],
  ['topics', 'string'], ['asserted_facts', 'string'],
] as const;
const EDGE_ATTRS = [
  ['kind', 'string'], ['control_basis', 'string'], ['share', 'string'], ['share_min', 'double'], ['share_max', 'double'], ['stated', 'string'],
  ['is_summary', 'boolean'], ['start_date', 'string'], ['end_date', 'string'], ['status', 'string'], ['source', 'string'], ['source_sha256', 'string'], ['record', 'string'], ['asserted', 'boolean'],
] as const;

function nodeValues(m: ExportModel, id: number): Record<string, string | number | boolean> {
  const e = m.byId.get(id)!;
  const why = m.restricted.get(id);
  // asserted: the entity, its kind or a listing is an investigator's assertion; asserted_facts says which
  return {
    name: e.name, kind: effectiveKind(e).kind, countries: countryCodes(e).join(';'), identifiers: e.identifiers.join(';'), restricted: why !== undefined, restricted_why: why ?? '',
    asserted: hasAssertedFacts(e), topics: effectiveTopics(e).join(';'), asserted_facts: [...(isAsserted(e.source) ? [`entity: investigator assertion (${e.source!.fileName})`] : []), ...assertionNotes(e)].join('; '),
  };
}

function edgeValues(l: ExportModel['links'][number]): Record<string, string | number | boolean | null> {
  return {
    kind: l.kind, control_basis: l.controlBasis ?? '', share: shareText(l.share), share_min: l.share ? l.share.lo / 10_000 : null, share_max: l.share ? l.share.hi / 10_000 : null,
    stated: l.stated, is_summary: l.isSummary, start_date: l.startDate ?? '', end_date: l.endDate ?? '', status: l.status, source: l.source.fileName, source_sha256: l.source.sha256, record: l.recordRef, asserted: isAsserted(l.source),
  };
}

const nodeIds = (m: ExportModel) => m.entities.map((e) => e.id);

export function graphml(m: ExportModel): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'];
  for (const [k, t] of NODE_ATTRS) out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`);
  for (const [k, t] of EDGE_ATTRS) out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`);
  out.push(`  <graph id="ownerscope" edgedefault="directed">`, `    <desc>${x(`Ownerscope export, policy ${m.policy.name} (${m.policy.sha256}), as of ${m.asOf}; edges point from owner to owned`)}</desc>`);
  for (const id of nodeIds(m)) {
    const v = nodeValues(m, id);
    out.push(`    <node id="${x(m.byId.get(id)!.ref)}">${NODE_ATTRS.map(([k]) => `<data key="n_${k}">${x(String(v[k]))}</data>`).join('')}</node>`);
  }
  for (const l of m.links) {
    const v = edgeValues(l);
    const data = EDGE_ATTRS.filter(([k]) => v[k] !== null).map(([k]) => `<data key="e_${k}">${x(String(v[k]))}</data>`).join('');
    out.push(`    <edge id="${x(l.key)}" source="${x(m.byId.get(l.ownerId)!.ref)}" target="${x(m.byId.get(l.ownedId)!.ref)}">${data}</edge>`);
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

export function gexf(m: ExportModel): string {
  const gexfType = (t: string) => (t === 'double' ? 'double' : t);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<gexf xmlns="http://gexf.net/1.3" version="1.3">'];
  out.push(`  <meta><creator>Ownerscope</creator><description>${x(`policy ${m.policy.name} (${m.policy.sha256}), as of ${m.asOf}; edges point from owner to owned`)}</description></meta>`);
  out.push('  <graph defaultedgetype="directed" mode="static">');
  out.push('    <attributes class="node">', ...NODE_ATTRS.slice(1).map(([k, t], i) => `      <attribute id="${i}" title="${k}" type="${gexfType(t)}"/>`), '    </attributes>');
  out.push('    <attributes class="edge">', ...EDGE_ATTRS.map(([k, t], i) => `      <attribute id="${i}" title="${k}" type="${gexfType(t)}"/>`), '    </attributes>');
  out.push('    <nodes>');
  for (const id of nodeIds(m)) {
    const v = nodeValues(m, id);
    const vals = NODE_ATTRS.slice(1).map(([k], i) => `<attvalue for="${i}" value="${x(String(v[k]))}"/>`).join('');
    out.push(`      <node id="${x(m.byId.get(id)!.ref)}" label="${x(String(v.name))}"><attvalues>${vals}</attvalues></node>`);
  }
  out.push('    </nodes>', '    <edges>');
  m.links.forEach((l) => {
    const v = edgeValues(l);
    const vals = EDGE_ATTRS.map(([k], i) => (v[k] === null ? '' : `<attvalue for="${i}" value="${x(String(v[k]))}"/>`)).join('');
    out.push(`      <edge id="${x(l.key)}" source="${x(m.byId.get(l.ownerId)!.ref)}" target="${x(m.byId.get(l.ownedId)!.ref)}" label="${x(l.kind)}"><attvalues>${vals}</attvalues></edge>`);
  });
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}
