// The ownership neighbourhood of a subject for the graph view: owners above, subsidiaries and
// branches below, a bounded number per node. Beyond the bound a node gets a cluster ("and 340
// more") so a company with thousands of subsidiaries never freezes the UI.
// Entities merged by entity resolution (a shared identifier, or an investigator's `same` decision)
// are drawn as one node, their canonical entity, with the links of every member: the graph shows
// what the verdict computes on, and the verdict's origins and paths (canonical ids) highlight it.
import { formatShare } from '../../../shared/domain/model';
import { relationshipWords } from '../../../shared/domain/engine/relationship';
import type { GraphEdge, GraphNode, GraphResult } from '../../../shared/api/types';
import { resolutionGroups } from '../resolve';
import type { Db } from '../store/db';
import { groupFacts, isCurrentOn, shareFromRow } from '../store/queries';

const SHOWN_KINDS = `('shares','votes','control','branch','fund-management','other')`;

interface Row {
  id: number;
  other: number;
  kind: string;
  share_lo: number | null;
  share_lo_open: number | null;
  share_hi: number | null;
  share_hi_open: number | null;
  stated: string;
  control_basis: string | null;
  is_summary: number;
  start_date: string | null;
  end_date: string | null;
  status: string;
  registration_status: string | null;
  source_id: number;
}

export interface NeighbourhoodOptions {
  up: number;
  down: number;
  maxPerNode: number;
  asOf: string;
  /** Hard cap on nodes in one answer; the rest is clustered. */
  maxNodes?: number;
}

export function neighbourhood(db: Db, subjectId: number, o: NeighbourhoodOptions): GraphResult {
  const maxNodes = o.maxNodes ?? 600;
  const { canonical: canon, members } = resolutionGroups(db);
  const subject = canon(subjectId);
  // a node's rows are those of all its members, as a JSON array bound to one statement
  const ids = (id: number) => JSON.stringify(members(id));
  const ent = db.prepare('SELECT id, name, kind FROM entities WHERE id = ?');
  const facts = groupFacts(db);
  const cols = `l.id, l.kind, l.share_lo, l.share_lo_open, l.share_hi, l.share_hi_open, l.stated, l.control_basis, l.is_summary,
    l.start_date, l.end_date, l.status, l.registration_status, l.source_id`;
  // each assertion has a source of its own: a link from one is the investigator's (a few rows, read once)
  const assertionOf = new Map((db.prepare('SELECT source_id AS sourceId, id FROM assertions').all() as { sourceId: number; id: number }[]).map((a) => [a.sourceId, a.id]));
  // Current direct links first; summary ("ultimately consolidated by") links after, they are drawn
  // dashed. Links between two members of one node (one entity as two records) are not drawn.
  const upQ = db.prepare(`SELECT ${cols}, l.owner_id AS other FROM links l
    WHERE l.owned_id IN (SELECT value FROM json_each(@ids)) AND l.owner_id NOT IN (SELECT value FROM json_each(@ids)) AND l.kind IN ${SHOWN_KINDS}
    ORDER BY l.is_summary, l.status != 'active', l.id LIMIT @room`);
  const downQ = db.prepare(`SELECT ${cols}, l.owned_id AS other FROM links l
    WHERE l.owner_id IN (SELECT value FROM json_each(@ids)) AND l.owned_id NOT IN (SELECT value FROM json_each(@ids)) AND l.kind IN ${SHOWN_KINDS}
    ORDER BY l.is_summary, l.status != 'active', l.id LIMIT @room`);
  const upCount = db.prepare(`SELECT count(*) AS n FROM links
    WHERE owned_id IN (SELECT value FROM json_each(@ids)) AND owner_id NOT IN (SELECT value FROM json_each(@ids)) AND kind IN ${SHOWN_KINDS}`);
  const downCount = db.prepare(`SELECT count(*) AS n FROM links
    WHERE owner_id IN (SELECT value FROM json_each(@ids)) AND owned_id NOT IN (SELECT value FROM json_each(@ids)) AND kind IN ${SHOWN_KINDS}`);

  const nodes = new Map<number, GraphNode>();
  const edges: GraphEdge[] = [];
  const clusters: GraphNode[] = [];
  const edgeIds = new Set<number>();
  let isTruncated = false;

  const addNode = (id: number, level: number): GraphNode => {
    const existing = nodes.get(id);
    if (existing) return existing;
    const e = ent.get(id) as { id: number; name: string; kind: string } | undefined;
    const group = members(id);
    const node: GraphNode = {
      id: `e${id}`,
      entityId: id,
      label: e?.name ?? `#${id}`,
      kind: e?.kind ?? 'unknown',
      ...facts(group),
      level,
      isSubject: id === subject,
      isExpandable: false,
      ...(group.length > 1 ? { mergedIds: group.slice(1).sort((a, b) => a - b) } : {}),
    };
    nodes.set(id, node);
    return node;
  };

  const visit = (direction: 'up' | 'down', depth: number) => {
    let frontier = [subject];
    for (let level = 1; level <= depth && frontier.length > 0; level++) {
      const next: number[] = [];
      for (const id of frontier) {
        const total = ((direction === 'up' ? upCount : downCount).get({ ids: ids(id) }) as { n: number }).n;
        const room = Math.max(0, Math.min(o.maxPerNode, maxNodes - nodes.size));
        const rows = (direction === 'up' ? upQ : downQ).all({ ids: ids(id), room }) as Row[];
        for (const row of rows) {
          const r = { ...row, other: canon(row.other) };
          const isNew = !nodes.has(r.other);
          addNode(r.other, direction === 'up' ? -level : level);
          if (!edgeIds.has(r.id)) {
            edgeIds.add(r.id);
            const share = shareFromRow(r);
            edges.push({
              id: `l${r.id}`,
              linkId: r.id,
              from: `e${direction === 'up' ? r.other : id}`,
              to: `e${direction === 'up' ? id : r.other}`,
              kind: r.kind,
              // words for people ("directly consolidated by (accounting consolidation, 51.5%)"); the
              // source's own code stays beside it for the tooltip
              label: relationshipWords({ kind: r.kind, controlBasis: r.control_basis, share: share ? formatShare(share) : null, stated: r.stated ?? '', isSummary: r.is_summary === 1 }),
              stated: r.stated ?? '',
              isSummary: r.is_summary === 1,
              isCurrent: isCurrentOn(o.asOf, r),
              ...(assertionOf.has(r.source_id) ? { assertionId: assertionOf.get(r.source_id)! } : {}),
            });
          }
          // summary links reach the ultimate parent directly; walking on from it would duplicate the chain
          if (isNew && r.is_summary === 0) next.push(r.other);
        }
        const hidden = total - rows.length;
        if (hidden > 0) {
          isTruncated = true;
          const cid = `c${direction}${id}`;
          const parentLevel = nodes.get(id)!.level;
          clusters.push({
            id: cid,
            label: `and ${hidden.toLocaleString('en')} more`,
            kind: 'cluster',
            countries: [],
            level: parentLevel + (direction === 'up' ? -1 : 1),
            isSubject: false,
            hasUndisclosed: false,
            isExpandable: true,
            clusterSize: hidden,
            clusterOf: { entityId: id, direction },
          });
          edges.push({
            id: `ce${direction}${id}`,
            from: direction === 'up' ? cid : `e${id}`,
            to: direction === 'up' ? `e${id}` : cid,
            kind: 'cluster',
            label: '',
            isSummary: false,
            isCurrent: true,
          });
        }
      }
      frontier = next;
    }
    // the last ring may have more links beyond it: mark those nodes expandable
    for (const id of frontier) {
      const n = nodes.get(id)!;
      const c = ((direction === 'up' ? upCount : downCount).get({ ids: ids(id) }) as { n: number }).n;
      if (c > 0) n.isExpandable = true;
    }
  };

  addNode(subject, 0);
  visit('up', o.up);
  visit('down', o.down);
  return { subjectId: subject, nodes: [...nodes.values(), ...clusters], edges, asOf: o.asOf, isTruncated };
}
