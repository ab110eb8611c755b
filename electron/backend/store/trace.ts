// Ownership traces: chains up to the ultimate parents (from direct links, compared with what
// summary links report), or the tree of subsidiaries and branches below an entity.
// Entities merged by entity resolution are traced as one, their canonical entity (as the verdict
// and the graph do): a chain recorded partly in one source and partly in another is one chain.
import { FULL_SHARE } from '../../../shared/domain/model';
import { resolutionGroups } from '../resolve';
import type { Db } from './db';
import { groupFacts, holdingsOf, ownersOf, type LinkView } from './queries';

const TRACED_KINDS = new Set(['shares', 'votes', 'control', 'branch']);
const MAX_CHAINS = 500;
const MAX_NODES = 5000;

export interface TraceNode {
  id: number;
  name: string;
  kind: string;
  countries: string[];
  hasUndisclosed: boolean;
}

export interface TraceChain {
  /** subject first, then each owner up the chain */
  entities: number[];
  links: number[];
  /** why the chain stops: no further owner, a cycle back into the chain, the depth limit */
  end: 'top' | 'cycle' | 'depth';
  /** every link is control, a branch link or a majority share: the top controls the subject */
  isMajorityChain: boolean;
}

export interface TraceFinding {
  code: string;
  text: string;
}

export interface TraceResult {
  subject: number;
  direction: 'up' | 'down';
  asOf: string;
  depth: number;
  nodes: Record<number, TraceNode>;
  links: Record<number, LinkView>;
  /** up: chains to the tops; down: edges of the tree (parent → child link ids per node) */
  chains: TraceChain[];
  children: Record<number, number[]>;
  computedUltimateParents: number[];
  reportedUltimateParents: { id: number; linkId: number }[];
  findings: TraceFinding[];
  truncated: boolean;
}

export interface TraceOptions {
  down?: boolean;
  depth?: number;
  asOf: string;
}

/** A link that on its own gives control: control/consolidation, branch, or a share surely above 50%. */
function isMajority(l: LinkView): boolean {
  if (l.kind === 'control' || l.kind === 'branch') return true;
  if (!l.share) return false;
  const half = FULL_SHARE / 2;
  return l.share.lo > half || (l.share.lo === half && l.share.loOpen);
}

export function trace(db: Db, subjectId: number, options: TraceOptions): TraceResult {
  const depth = options.depth ?? 20;
  const nodes: Record<number, TraceNode> = {};
  const links: Record<number, LinkView> = {};
  const { canonical: canon, members } = resolutionGroups(db);
  const subject = canon(subjectId);
  const node = db.prepare('SELECT id, name, kind FROM entities WHERE id = ?');
  const facts = groupFacts(db);
  const addNode = (id: number) => {
    if (nodes[id]) return;
    nodes[id] = { ...(node.get(id) as { id: number; name: string; kind: string }), ...facts(members(id)) };
  };
  /** The links of every member of `id`'s group, their ends read as canonical entities; links inside the group dropped. */
  const linksOf = (id: number, down: boolean): LinkView[] =>
    members(id)
      .flatMap((m) => (down ? holdingsOf(db, m, options.asOf) : ownersOf(db, m, options.asOf)))
      .map((l) => ({ ...l, ownerId: canon(l.ownerId), ownedId: canon(l.ownedId) }))
      .filter((l) => l.ownerId !== l.ownedId);
  addNode(subject);
  const result: TraceResult = {
    subject, direction: options.down ? 'down' : 'up', asOf: options.asOf, depth, nodes, links, chains: [], children: {},
    computedUltimateParents: [], reportedUltimateParents: [], findings: [], truncated: false,
  };
  const edgeCache = new Map<number, LinkView[]>();
  const edges = (id: number): LinkView[] => {
    let e = edgeCache.get(id);
    if (!e) {
      const all = linksOf(id, options.down ?? false);
      e = all.filter((l) => l.isCurrent && TRACED_KINDS.has(l.kind) && !l.isSummary);
      // a head office is not owned by its branches: going up, a branch link leads from the branch to its head office only
      edgeCache.set(id, e);
    }
    return e;
  };
  if (options.down) traceDown(result, edges, addNode, depth);
  else traceUp(result, edges, addNode, depth, linksOf(subject, false));
  return result;
}

function traceUp(
  result: TraceResult,
  edges: (id: number) => LinkView[],
  addNode: (id: number) => void,
  depth: number,
  subjectOwners: LinkView[],
): void {
  const tops = new Set<number>();
  const majorityTops = new Set<number>();
  const pathEntities: number[] = [result.subject];
  const pathLinks: number[] = [];
  const walk = (id: number, isMajorityChain: boolean) => {
    if (result.chains.length >= MAX_CHAINS) {
      result.truncated = true;
      return;
    }
    const owners = edges(id);
    const finish = (end: TraceChain['end']) => {
      result.chains.push({ entities: [...pathEntities], links: [...pathLinks], end, isMajorityChain });
      if (end === 'top' && pathLinks.length > 0) {
        tops.add(id);
        if (isMajorityChain) majorityTops.add(id);
      }
    };
    if (owners.length === 0) return finish('top');
    if (pathLinks.length >= depth) return finish('depth');
    for (const l of owners) {
      result.links[l.id] = l;
      addNode(l.ownerId);
      if (pathEntities.includes(l.ownerId)) {
        pathLinks.push(l.id);
        pathEntities.push(l.ownerId);
        finish('cycle');
        pathLinks.pop();
        pathEntities.pop();
        continue;
      }
      pathLinks.push(l.id);
      pathEntities.push(l.ownerId);
      walk(l.ownerId, isMajorityChain && isMajority(l));
      pathLinks.pop();
      pathEntities.pop();
    }
  };
  walk(result.subject, true);
  result.computedUltimateParents = [...(majorityTops.size > 0 ? majorityTops : tops)].sort((a, b) => a - b);
  const reported = subjectOwners.filter((l) => l.isSummary && l.isCurrent);
  for (const l of reported) {
    result.links[l.id] = l;
    addNode(l.ownerId);
    result.reportedUltimateParents.push({ id: l.ownerId, linkId: l.id });
  }
  const name = (id: number) => `${result.nodes[id]!.name} (#${id})`;
  const computed = new Set(result.computedUltimateParents);
  for (const r of result.reportedUltimateParents) {
    if (computed.has(r.id)) continue;
    const link = result.links[r.linkId]!;
    const onChain = result.chains.some((c) => c.entities.includes(r.id));
    result.findings.push({
      code: onChain ? 'reported-parent-not-top' : 'reported-parent-differs',
      text: onChain
        ? `${link.source.fileName} reports ${name(r.id)} as ultimate parent, but the direct links continue above it to ${result.computedUltimateParents.map(name).join(', ')}`
        : `${link.source.fileName} reports ${name(r.id)} as ultimate parent, but the direct links lead to ${
            result.computedUltimateParents.length ? result.computedUltimateParents.map(name).join(', ') : 'no parent'
          } (the chain is broken or differs)`,
    });
  }
  if (reported.length > 0 && majorityTops.size === 0 && tops.size === 0) {
    result.findings.push({
      code: 'chain-missing',
      text: `no direct parent link is recorded; only the reported ultimate parent ${reported.map((l) => name(l.ownerId)).join(', ')} is known`,
    });
  }
  if (result.chains.some((c) => c.end === 'cycle')) {
    result.findings.push({ code: 'cycle', text: 'the ownership chains contain a cycle (cross-holding)' });
  }
  if (result.truncated) {
    result.findings.push({ code: 'truncated', text: `more than ${MAX_CHAINS} chains; only the first ${MAX_CHAINS} are listed` });
  }
}

function traceDown(
  result: TraceResult,
  edges: (id: number) => LinkView[],
  addNode: (id: number) => void,
  depth: number,
): void {
  const seen = new Set<number>([result.subject]);
  let frontier = [result.subject];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: number[] = [];
    for (const id of frontier) {
      for (const l of edges(id)) {
        if (Object.keys(result.nodes).length >= MAX_NODES) {
          result.truncated = true;
          break;
        }
        result.links[l.id] = l;
        (result.children[id] ??= []).push(l.id);
        addNode(l.ownedId);
        if (!seen.has(l.ownedId)) {
          seen.add(l.ownedId);
          next.push(l.ownedId);
        }
      }
    }
    frontier = next;
  }
  if (result.truncated) {
    result.findings.push({ code: 'truncated', text: `more than ${MAX_NODES} entities below; the tree is cut there` });
  }
}
