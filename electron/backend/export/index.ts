// `ownerscope export`: the case's data (or a subject's neighbourhood) in the field's formats.
// docs/CLI.md "export". Everything is read in one snapshot; the restricted-origin flag of each node
// is the engine's own origin rule under the given policy.
import { readExportData } from '../store/export';
import { readSnapshotAsync } from '../store/concurrency';
import type { Db } from '../store/db';
import { loadAll, loadClosure } from '../verdict/load';
import { canonicalMap } from '../resolve';
import { isOrigin, originReason, originRules } from '../../../shared/domain/engine/compile';
import { policySha256, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import type { ExportModel } from './model';
import { csvFiles } from './csv';
import { graphml, gexf } from './graphml';
import { ftmLines } from './ftm';
import { bodsStatements } from './bods';
import { zipFiles } from './zip';
import { neighbourhood } from '../api/graph';
import { getCase } from '../cases/cases';
import { resolveRef } from '../store/queries';
import { resolvePolicy } from '../../../shared/domain/policy/policy';

export const EXPORT_FORMATS = ['csv', 'graphml', 'gexf', 'ftm', 'bods'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  policy: EffectivePolicy;
  /** the subject's neighbourhood (entity id) instead of the whole database */
  subjectId?: number;
  up?: number;
  down?: number;
}

/** The files of one export: several for csv (entities, links, undisclosed), one otherwise. */
export interface ExportResult {
  files: Array<{ name: string; data: Buffer }>;
  counts: { entities: number; links: number; markers: number };
}

async function model(db: Db, o: ExportOptions): Promise<ExportModel> {
  // One snapshot for everything an export reads: the neighbourhood, entity resolution, the rows and
  // the graph the restricted-origin flags come from. Separate reads could straddle an import
  // committed in between and write a file whose nodes and flags come from different data.
  return readSnapshotAsync(db, async () => {
    const ids = o.subjectId === undefined
      ? null
      : neighbourhood(db, o.subjectId, { up: o.up ?? 10, down: o.down ?? 10, maxPerNode: Number.MAX_SAFE_INTEGER, maxNodes: Number.MAX_SAFE_INTEGER, asOf: o.policy.asOf })
          .nodes.filter((n) => n.entityId !== undefined).map((n) => n.entityId!);
    // merged entities: the neighbourhood names canonical ids; their members are exported with them.
    // Entity resolution is read once: member → canonical (resolvedId per entity would read it each time)
    const canonical = canonicalMap(db);
    const data = readExportData(db, ids ? withMembers(ids, canonical) : null);
    return { ...data, restricted: flagsFor(o) ? await restrictedOrigins(db, o, data.entities, canonical, ids !== null) : new Map(), policy: { name: o.policy.name, sha256: policySha256(o.policy) }, asOf: o.policy.asOf, byId: new Map(data.entities.map((e) => [e.id, e])) };
  });
}

/** Only the graph formats carry the restricted-origin flag; the others need no graph loaded. */
const flagsFor = (o: ExportOptions) => o.format === 'graphml' || o.format === 'gexf';

/** Entity id → why it is of restricted origin under the policy (the engine's own rule). */
async function restrictedOrigins(db: Db, o: ExportOptions, entities: ExportModel['entities'], canonical: Map<number, number>, scoped: boolean): Promise<Map<number, string>> {
  const graph = scoped ? loadClosure(db, entities.map((e) => e.id)) : await loadAll(db);
  const rules = originRules(o.policy);
  const restricted = new Map<number, string>();
  for (const e of entities) {
    const i = graph.indexOf(canonical.get(e.id) ?? e.id);
    if (i >= 0 && isOrigin(graph, i, rules, false)) restricted.set(e.id, originReason(graph, i, rules, false) ?? 'restricted origin');
  }
  return restricted;
}

function withMembers(ids: number[], canonical: Map<number, number>): number[] {
  const set = new Set(ids);
  for (const [member, c] of canonical) if (set.has(c)) set.add(member);
  return [...set];
}

export async function exportCase(db: Db, o: ExportOptions, now = new Date()): Promise<ExportResult> {
  const m = await model(db, o);
  const counts = { entities: m.entities.length, links: m.links.length, markers: m.markers.length };
  const one = (name: string, text: string) => ({ files: [{ name, data: Buffer.from(text, 'utf8') }], counts });
  switch (o.format) {
    case 'csv':
      return { files: csvFiles(m).map((f) => ({ name: f.name, data: Buffer.from(f.text, 'utf8') })), counts };
    case 'graphml':
      return one('ownerscope.graphml', graphml(m));
    case 'gexf':
      return one('ownerscope.gexf', gexf(m));
    case 'ftm':
      return one('ownerscope.ftm.jsonl', ftmLines(m));
    case 'bods':
      return one('ownerscope.bods.json', JSON.stringify(bodsStatements(m, now.toISOString().slice(0, 10)), null, 1) + '\n');
  }
}

export { zipFiles };

/**
 * What a case's verdict read: its subject and every owner above it, under the case's own policy
 * (or `policy` when given), as of `asOf` when given.
 */
export function caseScope(db: Db, caseId: string, today: string, policy?: EffectivePolicy, asOf?: string): Pick<ExportOptions, 'subjectId' | 'policy' | 'up' | 'down'> {
  const c = getCase(db, caseId);
  const { name: _name, sha256: _sha, ...fields } = c.policy;
  return {
    subjectId: resolveRef(db, c.subjectRef),
    policy: policy ?? resolvePolicy({ ...fields, ...(asOf ? { asOf } : {}) }, { today }),
    up: 1000,
    down: 0,
  };
}

/** The file name an export is offered under (csv: one zip of its three files). */
export function exportFileName(format: ExportFormat, what: string): string {
  const safe = what.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'case';
  return `${safe}.${format === 'csv' ? 'csv.zip' : format === 'ftm' ? 'ftm.jsonl' : format === 'bods' ? 'bods.json' : format}`;
}
