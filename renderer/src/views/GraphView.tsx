import { useEffect, useRef, useState } from 'react';
import { DataSet, Network, type Edge, type Node, type Options } from 'vis-network/standalone';
import type { GraphEdge, GraphNode, GraphResult, VerdictResult } from '../../../shared/api/types';
import { countryLabel } from '../../../shared/formats/country-names';
import { call, errorText } from '../api';
import { readPlace } from '../place';
import { policyOfForm, useApp, type VerdictForm } from '../state';
import { ErrorBox, Page, Tag } from '../ui';
import { ExportDialog } from './ExportDialog';
import { buildSvg, type LegendItem } from '../graph/export';
import { findNodes, fitView, LABEL_PX, MIN_SCALE, NODE_MAX_W, rowLayout, rowsFor, stepNode } from '../graph/layout';
import { groupByCountry, groupHeadId, groupLabel, groupNodeId, inRestrictedCountry, type CountryGroup } from '../graph/groups';

// the canvas draws names in any script with the same bundled faces as the page (styles.css)
// the faces of renderer/src/styles.css (--script-fonts): a canvas cannot read a CSS variable
const GRAPH_FONT = "Inter, 'Segoe UI', 'Ownerscope CJK', 'Ownerscope Hangul', 'Ownerscope Arabic', 'Ownerscope Hebrew', 'Ownerscope Georgian', 'Ownerscope Armenian', 'Ownerscope Thai', 'Ownerscope Bengali', 'Ownerscope Tamil', 'Ownerscope Ethiopic', 'Ownerscope Devanagari', system-ui, sans-serif";
const COLORS = {
  subject: { background: '#1d4ed8', border: '#1e3a8a', font: '#ffffff' },
  company: { background: '#ffffff', border: '#94a3b8', font: '#0f172a' },
  person: { background: '#f0fdf4', border: '#4ade80', font: '#14532d' },
  branch: { background: '#f8fafc', border: '#cbd5e1', font: '#334155' },
  cluster: { background: '#f1f5f9', border: '#64748b', font: '#334155' },
  // in a country the policy restricts (known before any verdict)
  country: { background: '#fff1f2', border: '#e11d48', font: '#881337' },
  // a restricted origin the verdict names
  restricted: { background: '#fecaca', border: '#b91c1c', font: '#7f1d1d' },
};
const EDGE = { normal: '#64748b', summary: '#a5b4fc', path: '#dc2626', old: '#cbd5e1', asserted: '#7c3aed', group: '#94a3b8', faint: '#e2e8f0' };
/** An investigator's assertion (issue 14): dotted, never the registry's solid or summary dashes. */
export const ASSERTED_DASHES = [2, 5];
/** Above this many subsidiaries (or owners) of one node, they are grouped into one cluster per country. */
const READABLE = 12;
/** The largest side of an exported PNG, in CSS pixels (a larger drawing is scaled down to it). */
const PNG_MAX_PX = 6000;
/** The per-node link limit the view asks for: a real group's 80+ subsidiaries in one answer. */
const PER_NODE = 200;

/** The restricted origins a verdict names and the links of the paths carrying the restricted share. */
function highlights(v: VerdictResult | null): { origins: Set<string>; pathEdges: Set<string> } {
  const origins = new Set<string>();
  const pathEdges = new Set<string>();
  if (!v) return { origins, pathEdges };
  for (const p of v.paths.items) {
    origins.add(String(p.origin.id));
    for (const step of p.steps) pathEdges.add(`${step.ownerId}>${step.ownedId}`);
  }
  for (const f of v.findings) if (f.kind === 'origin') for (const id of f.entityIds) origins.add(String(id));
  return { origins, pathEdges };
}

/** The entities a node stands for besides its own, as the ids the entity view opens. */
function mergedText(n: GraphNode): string {
  return (n.mergedIds ?? []).map((id) => `#${id}`).join(', ');
}

function shortLabel(s: string, max = 48): string {
  return s.length > max ? `${s.slice(0, max - 2)}…` : s;
}

const countryName = (code: string) => (code.length === 2 ? countryLabel(code) : code);

/** Nodes the view draws besides the backend's: country clusters, their "collapse" heads, "Show fewer". */
type SyntheticKind = 'country-group' | 'group-head' | 'show-fewer';
interface Synthetic extends GraphNode { synthetic: SyntheticKind; groupKey?: string; fewerOf?: string }

/** An "and N more" cluster the investigator expanded: what it loaded, to take back with "Show fewer". */
interface ShownMore { cluster: GraphNode; clusterEdges: GraphEdge[]; addedNodes: string[]; addedEdges: string[] }

export function GraphView() {
  const app = useApp();
  const container = useRef<HTMLDivElement>(null);
  const net = useRef<Network | null>(null);
  const nodesDs = useRef(new DataSet<Node>());
  const edgesDs = useRef(new DataSet<Edge>());
  const graphNodes = useRef(new Map<string, GraphNode>());
  const graphEdges = useRef(new Map<string, GraphEdge>());
  const synthetic = useRef(new Map<string, Synthetic>());
  const groupsRef = useRef(new Map<string, CountryGroup>());
  const groupOfRef = useRef(new Map<string, string>());
  const expanded = useRef(new Set<string>());
  const shownMore = useRef(new Map<string, ShownMore[]>());
  // the subject's node: its canonical entity when resolution merged it with others
  const rootId = useRef<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState({ nodes: 0, edges: 0, merged: 0, asserted: 0, truncated: false, shown: 0, groups: 0 });
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const [depth, setDepth] = useState({ up: 3, down: 2 });
  const [find, setFind] = useState({ query: '', hits: [] as string[], at: 0 });
  // the restricted countries of the policy in the Verdict form, read before any verdict is computed
  const [policy, setPolicy] = useState<{ name: string; countries: Set<string>; note: string | null } | null>(null);
  const subject = app.subject;
  const dbPath = app.overview?.path;
  const verdict = app.verdict && subject && app.verdict.subjectId === subject.id ? app.verdict.result : null;
  // the latest of what a redraw reads, for handlers vis-network holds from the first render
  const live = useRef({ verdict, policy });
  live.current = { verdict, policy };

  const lookup = (id: string | undefined): GraphNode | undefined => (id === undefined ? undefined : graphNodes.current.get(id) ?? synthetic.current.get(id));

  const styleNode = (n: GraphNode, relation: string | null): Node => {
    const hl = highlights(live.current.verdict);
    const restricted = live.current.policy?.countries ?? new Set<string>();
    const syn = (n as Synthetic).synthetic;
    const isOrigin = n.entityId !== undefined && hl.origins.has(String(n.entityId));
    const inCountry = inRestrictedCountry(n.countries, restricted);
    // the subject stays blue when it is itself restricted (a red border says so): the investigator
    // must still find the company the graph is about
    const c = n.isSubject
      ? isOrigin || inCountry ? { ...COLORS.subject, border: COLORS.restricted.border } : COLORS.subject
      : isOrigin ? COLORS.restricted : inCountry ? COLORS.country : syn || n.kind === 'cluster' ? COLORS.cluster : n.kind === 'person' ? COLORS.person : n.kind === 'branch' ? COLORS.branch : COLORS.company;
    const records = n.mergedIds ? `${n.mergedIds.length + 1} records` : '';
    const flags = [n.countries.join('/'), inCountry && !syn ? 'restricted country' : '', records, n.hasUndisclosed ? '⚠ undisclosed' : '', n.isExpandable && n.kind !== 'cluster' ? '[+]' : ''].filter(Boolean).join('  ');
    const label = syn === 'country-group' && inCountry ? n.label.replace(/\n\(expand\)$/, '\nrestricted country (expand)') : syn || n.kind === 'cluster' ? n.label : [shortLabel(n.label), flags, relation ? shortLabel(relation, 40) : ''].filter(Boolean).join('\n');
    return {
      id: n.id,
      label,
      shape: n.kind === 'person' ? 'ellipse' : 'box',
      color: { background: c.background, border: c.border, highlight: { background: c.background, border: '#f59e0b' }, hover: { background: c.background, border: '#f59e0b' } },
      font: { color: c.font, size: syn === 'group-head' || syn === 'show-fewer' ? LABEL_PX - 1 : LABEL_PX, face: GRAPH_FONT, multi: false },
      borderWidth: n.isSubject || isOrigin ? 3 : inCountry ? 2.5 : n.hasUndisclosed ? 2 : syn === 'country-group' ? 1.5 : 1,
      shapeProperties: { borderDashes: syn || n.kind === 'cluster' || n.kind === 'branch' ? [4, 3] : false, borderRadius: syn === 'country-group' ? 10 : 4 },
      widthConstraint: { maximum: NODE_MAX_W },
      margin: { top: 7, right: 9, bottom: 7, left: 9 },
      title: syn
        ? `${n.label.replace(/\n/g, ' ')}`
        : `${n.label}${n.countries.length ? ` (${n.countries.join(', ')})` : ''}${inCountry ? `\nIn a country restricted by the policy ${live.current.policy?.name ?? ''}` : ''}${records ? `\n${records} of one entity (merged: ${mergedText(n)})` : ''}`,
    };
  };

  const styleEdge = (e: GraphEdge, showLabel: boolean, faint: boolean): Edge => {
    const hl = highlights(live.current.verdict);
    const from = lookup(e.from)?.entityId;
    const to = lookup(e.to)?.entityId;
    const onPath = from !== undefined && to !== undefined && hl.pathEdges.has(`${from}>${to}`);
    const isAsserted = e.assertionId !== undefined;
    const isGroup = e.kind === 'cluster' || e.kind === 'group';
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: isGroup || !showLabel ? undefined : isAsserted ? `${e.label} (asserted)` : e.label,
      // the relationship in words and the code the registry used, for the investigator who checks it
      title: isGroup ? undefined : isAsserted ? `${e.label}\nAsserted by the investigator (assertion ${e.assertionId})${e.stated ? `: ${e.stated}` : ''}` : `${e.label}${e.stated ? `\nAs stated: ${e.stated}` : ''}`,
      arrows: { to: { enabled: !isGroup && (!faint || onPath || isAsserted), scaleFactor: 0.6 } },
      dashes: isAsserted ? ASSERTED_DASHES : e.isSummary || isGroup || e.kind === 'branch',
      width: onPath ? 3 : isAsserted ? 2.4 : 1.2,
      // a line into a family wrapped into rows crosses the rows above it: drawn faint (the box says
      // the share), drawn in full when either end is selected; on a restricted path it stays red
      // (the path matters most), and an asserted link is never faint (dotted violet says asserted)
      color: { color: onPath ? EDGE.path : isAsserted ? EDGE.asserted : isGroup ? EDGE.group : faint ? EDGE.faint : !e.isCurrent ? EDGE.old : e.isSummary ? EDGE.summary : EDGE.normal, highlight: onPath ? EDGE.path : '#f59e0b', hover: onPath ? EDGE.path : EDGE.normal },
      font: { size: 12, face: GRAPH_FONT, color: onPath ? EDGE.path : isAsserted ? EDGE.asserted : '#334155', strokeWidth: 3, strokeColor: '#ffffff', align: 'horizontal' },
      // a summary link ("ultimately consolidated by") often joins the same two entities as the direct
      // link: curve it so both lines and labels stay readable
      smooth: e.isSummary ? { enabled: true, type: 'curvedCW', roundness: 0.5 } : false,
    };
  };

  /** Draws what is loaded: country groups collapsed or expanded, wrapped into rows. */
  const redraw = () => {
    const all = [...graphNodes.current.values()];
    const links = [...graphEdges.current.values()].filter((e) => graphNodes.current.has(e.from) && graphNodes.current.has(e.to));
    const hl = highlights(live.current.verdict);
    // the verdict's origins and the entities on its paths are never hidden in a cluster
    const pinned = new Set<string>();
    for (const n of all) if (n.entityId !== undefined && hl.origins.has(String(n.entityId))) pinned.add(n.id);
    for (const e of links) {
      const a = graphNodes.current.get(e.from)?.entityId, b = graphNodes.current.get(e.to)?.entityId;
      if (a !== undefined && b !== undefined && hl.pathEdges.has(`${a}>${b}`)) [e.from, e.to].forEach((id) => pinned.add(id));
    }
    const root = rootId.current === null ? '' : `e${rootId.current}`;
    const grouping = groupByCountry(all, links, { rootId: root, readable: READABLE, minGroup: 3, expanded: expanded.current, pinned });
    groupsRef.current = new Map(grouping.groups.map((g) => [g.key, g]));
    groupOfRef.current = grouping.groupOf;
    synthetic.current.clear();
    const extraEdges: GraphEdge[] = [];
    const linkTo = (parent: string, id: string, direction: 'up' | 'down') =>
      extraEdges.push({ id: `x${id}`, from: direction === 'down' ? parent : id, to: direction === 'down' ? id : parent, kind: 'group', label: '', isSummary: false, isCurrent: true });
    // the order nodes are laid out in: each group where its first member was, its members together
    const order: GraphNode[] = [];
    const emitted = new Set<string>();
    for (const n of all) {
      const key = grouping.groupOf.get(n.id);
      if (key && !emitted.has(key)) {
        emitted.add(key);
        const g = groupsRef.current.get(key)!;
        const hidden = g.members.filter((m) => grouping.hidden.has(m)).length;
        const countries = g.country ? g.country.split('/') : [];
        const base = { countries, level: g.level, isSubject: false, hasUndisclosed: false, isExpandable: g.collapsed, kind: 'cluster', groupKey: key };
        const s: Synthetic = g.collapsed
          ? { ...base, id: groupNodeId(key), label: groupLabel(g, countryName, hidden), synthetic: 'country-group', clusterSize: hidden }
          : { ...base, id: groupHeadId(key), label: `${g.members.length} in ${g.country ? g.country.split('/').map(countryName).join(' / ') : 'no country'}\n(collapse −)`, synthetic: 'group-head' };
        if (!g.collapsed || hidden > 0) {
          synthetic.current.set(s.id, s);
          order.push(s);
          linkTo(g.parent, s.id, g.direction);
        }
        for (const m of g.members) if (!grouping.hidden.has(m)) order.push(graphNodes.current.get(m)!);
        continue;
      }
      if (key || grouping.hidden.has(n.id)) continue;
      order.push(n);
    }
    // "Show fewer" beside every "and N more" that was expanded
    for (const [clusterId, stack] of shownMore.current) {
      const top = stack[stack.length - 1];
      if (!top?.cluster.clusterOf) continue;
      const parent = `e${top.cluster.clusterOf.entityId}`;
      if (grouping.hidden.has(parent) || !graphNodes.current.has(parent)) continue;
      const s: Synthetic = { id: `f:${clusterId}`, label: `Show fewer (hide ${top.addedNodes.length})`, kind: 'cluster', countries: [], level: top.cluster.level, isSubject: false, hasUndisclosed: false, isExpandable: false, synthetic: 'show-fewer', fewerOf: clusterId };
      synthetic.current.set(s.id, s);
      order.push(s);
      linkTo(parent, s.id, top.cluster.clusterOf.direction);
    }
    const shownIds = new Set(order.map((n) => n.id));
    const shownLinks = [...links, ...extraEdges].filter((e) => shownIds.has(e.from) && shownIds.has(e.to));
    const perRow = rowsFor(container.current?.clientWidth || 900);
    const levels = order.map((n) => ({ id: n.id, level: n.level }));
    const pos = rowLayout(levels, shownLinks, perRow);
    // a family wider than a row: its links' words go into the boxes (a label on each of 30 lines
    // crossing the rows above would be unreadable), the line keeps them as its tooltip
    const family = new Map<string, number>();
    // [the family's key (inner node and side), the outer node]
    const outer = (e: GraphEdge): [string, string] => {
      const a = lookup(e.from)!, b = lookup(e.to)!;
      const [inner, out] = Math.abs(b.level) > Math.abs(a.level) ? [a, b] : [b, a];
      return [`${inner.id}|${Math.sign(out.level)}`, out.id];
    };
    for (const e of shownLinks) {
      const [f] = outer(e);
      family.set(f, (family.get(f) ?? 0) + 1);
    }
    const relation = new Map<string, string>();
    const labelled = new Set<string>();
    for (const e of shownLinks) {
      if (e.kind === 'group' || e.kind === 'cluster') continue;
      const [f, child] = outer(e);
      if ((family.get(f) ?? 0) > perRow) {
        if (!relation.has(child)) relation.set(child, e.label);
      } else labelled.add(e.id);
    }
    nodesDs.current.clear();
    edgesDs.current.clear();
    nodesDs.current.add(order.map((n) => ({ ...styleNode(n, relation.get(n.id) ?? null), ...pos.get(n.id) })));
    edgesDs.current.add(shownLinks.map((e) => styleEdge(e, labelled.has(e.id), e.kind !== 'group' && e.kind !== 'cluster' && !labelled.has(e.id))));
    // second pass: the boxes as drawn (a long name wraps onto three lines), rows pushed apart so
    // that no box meets the row below
    const n = net.current;
    if (n && order.length) {
      n.redraw();
      const heights = new Map<string, number>();
      for (const x of order) {
        const b = n.getBoundingBox(x.id);
        if (b) heights.set(x.id, b.bottom - b.top);
      }
      const sized = rowLayout(levels, shownLinks, perRow, heights);
      nodesDs.current.update(order.map((x) => ({ id: x.id, ...sized.get(x.id) })));
    }
    const merged = all.filter((n) => n.mergedIds).length;
    const asserted = [...graphEdges.current.values()].filter((e) => e.assertionId !== undefined).length;
    setCounts((c) => ({ ...c, nodes: graphNodes.current.size, edges: graphEdges.current.size, merged, asserted, shown: order.length, groups: [...synthetic.current.values()].filter((x) => x.synthetic === 'country-group').length }));
  };

  const merge = (g: GraphResult, levelOffset: number) => {
    for (const n of g.nodes) {
      const existing = graphNodes.current.get(n.id);
      if (existing) {
        if (!n.isExpandable) existing.isExpandable = existing.isExpandable && n.kind === 'cluster';
        continue;
      }
      graphNodes.current.set(n.id, { ...n, level: n.level + levelOffset, isSubject: n.entityId === rootId.current });
    }
    for (const e of g.edges) graphEdges.current.set(e.id, e);
    setCounts((c) => ({ ...c, truncated: g.isTruncated }));
    redraw();
  };

  const fit = () => {
    const n = net.current, el = container.current;
    if (!n || !el) return;
    const ids = nodesDs.current.getIds().map(String);
    if (ids.length === 0) return;
    n.fit({ animation: false });
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const id of ids) {
      const b = n.getBoundingBox(id);
      minX = Math.min(minX, b.left); maxX = Math.max(maxX, b.right); minY = Math.min(minY, b.top); maxY = Math.max(maxY, b.bottom);
    }
    // never below the zoom at which labels are readable: a large group scrolls instead
    const v = fitView({ minX, maxX, minY, maxY }, { width: el.clientWidth, height: el.clientHeight }, n.getScale());
    n.moveTo({ position: { x: v.x, y: v.y }, scale: v.scale, animation: false });
    el.dataset.scale = String(n.getScale());
  };

  const load = async () => {
    if (!subject) return;
    setError(null);
    graphNodes.current.clear();
    graphEdges.current.clear();
    expanded.current.clear();
    shownMore.current.clear();
    setSelected(null);
    try {
      const g = await call('graph.neighbourhood', { ref: String(subject.id), up: depth.up, down: depth.down, maxPerNode: PER_NODE });
      rootId.current = g.subjectId;
      merge(g, 0);
      fit();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const setGroup = (key: string, open: boolean) => {
    if (open) expanded.current.add(key);
    else expanded.current.delete(key);
    redraw();
    // the node that stands for the group now: its "collapse" head, or the cluster again
    const id = open ? groupHeadId(key) : groupNodeId(key);
    if (synthetic.current.has(id)) focusNode(id, false);
    else setSelected(null);
  };

  const showFewer = (clusterId: string) => {
    const stack = shownMore.current.get(clusterId);
    const top = stack?.pop();
    if (!stack || !top) return;
    if (stack.length === 0) shownMore.current.delete(clusterId);
    for (const id of top.addedEdges) graphEdges.current.delete(id);
    for (const id of top.addedNodes) graphNodes.current.delete(id);
    graphNodes.current.set(top.cluster.id, top.cluster);
    for (const e of top.clusterEdges) graphEdges.current.set(e.id, e);
    redraw();
    focusNode(top.cluster.id, false);
  };

  const expand = async (n: GraphNode) => {
    const s = n as Synthetic;
    if (s.synthetic === 'country-group' && s.groupKey) return setGroup(s.groupKey, true);
    if (s.synthetic === 'group-head' && s.groupKey) return setGroup(s.groupKey, false);
    if (s.synthetic === 'show-fewer' && s.fewerOf) return showFewer(s.fewerOf);
    try {
      if (n.clusterOf) {
        // show the next page of that node's links instead of the cluster
        const of = n.clusterOf;
        const shown = [...graphEdges.current.values()].filter((e) => (of.direction === 'up' ? e.to === `e${of.entityId}` : e.from === `e${of.entityId}`) && e.kind !== 'cluster').length;
        const g = await call('graph.neighbourhood', {
          ref: String(of.entityId), up: of.direction === 'up' ? 1 : 0, down: of.direction === 'down' ? 1 : 0,
          maxPerNode: Math.min(1000, shown + 100),
        });
        const before = { nodes: new Set(graphNodes.current.keys()), edges: new Set(graphEdges.current.keys()) };
        graphNodes.current.delete(n.id);
        const clusterEdges = [...graphEdges.current.values()].filter((e) => e.from === n.id || e.to === n.id);
        for (const e of clusterEdges) graphEdges.current.delete(e.id);
        // the cluster is gone: the side panel must not go on naming it
        setSelected(null);
        const base = graphNodes.current.get(`e${of.entityId}`)?.level ?? 0;
        merge(g, base);
        // what this page added, for "Show fewer" (a new "and N more" keeps the old one's id)
        const entry: ShownMore = {
          cluster: n, clusterEdges,
          addedNodes: [...graphNodes.current.keys()].filter((id) => !before.nodes.has(id) || id === n.id),
          addedEdges: [...graphEdges.current.keys()].filter((id) => !before.edges.has(id) || clusterEdges.some((e) => e.id === id)),
        };
        const stack = shownMore.current.get(n.id) ?? [];
        stack.push(entry);
        shownMore.current.set(n.id, stack);
        redraw();
        // "Show fewer" takes the cluster's role: Space or - on it takes this page back
        if (synthetic.current.has(`f:${n.id}`)) focusNode(`f:${n.id}`, false);
      } else if (n.entityId !== undefined) {
        const g = await call('graph.neighbourhood', { ref: String(n.entityId), up: n.level <= 0 ? 1 : 0, down: n.level >= 0 ? 1 : 0, maxPerNode: PER_NODE });
        const node = graphNodes.current.get(n.id);
        if (node) node.isExpandable = false;
        merge(g, n.level);
      }
    } catch (e) {
      setError(errorText(e));
    }
  };

  /** `-`: the expanded group the node heads or belongs to collapses again; "Show fewer" takes a page back. */
  const collapse = (n: GraphNode) => {
    const s = n as Synthetic;
    if (s.synthetic === 'show-fewer' && s.fewerOf) return showFewer(s.fewerOf);
    const key = s.groupKey ?? groupOfRef.current.get(n.id);
    if (key && expanded.current.has(key)) return setGroup(key, false);
    // a node a "Show more" page loaded: that page goes back
    for (const [clusterId, stack] of shownMore.current) if (stack[stack.length - 1]?.addedNodes.includes(n.id)) return showFewer(clusterId);
  };

  const onClick = (p: { nodes: string[] }) => {
    const node = lookup(p.nodes[0]);
    setSelected(node ?? null);
    if (!node) return;
    if ((node as Synthetic).synthetic || node.isExpandable || node.clusterOf) void expand(node);
  };
  const onDoubleClick = (p: { nodes: string[] }) => {
    const node = lookup(p.nodes[0]);
    if (node?.entityId !== undefined) app.openEntity({ id: node.entityId, name: node.label });
  };
  // vis-network keeps the handlers of the first render: they call the latest through this
  const handlers = useRef({ onClick, onDoubleClick, redraw });
  handlers.current = { onClick, onDoubleClick, redraw };

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const options: Options = {
      // positions come from rowLayout (renderer/src/graph/layout.ts): levels wrapped into rows
      layout: { hierarchical: { enabled: false } },
      // physics off: a layout that is computed once never freezes on large neighbourhoods
      physics: { enabled: false },
      interaction: { hover: true, keyboard: { enabled: false }, navigationButtons: false, multiselect: false, tooltipDelay: 250, dragNodes: true },
      edges: { selectionWidth: 2 },
    };
    const n = new Network(el, { nodes: nodesDs.current, edges: edgesDs.current }, options);
    n.on('click', (p: { nodes: string[] }) => handlers.current.onClick(p));
    n.on('doubleClick', (p: { nodes: string[] }) => handlers.current.onDoubleClick(p));
    n.on('zoom', () => {
      el.dataset.scale = String(n.getScale());
    });
    // the wheel scrolls the drawing (a large group is taller than the canvas); Ctrl+wheel (and a
    // trackpad's pinch) zooms, as vis-network does by itself
    const onWheel = (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      e.stopPropagation();
      const s = n.getScale();
      const at = n.getViewPosition();
      n.moveTo({ position: { x: at.x + (e.shiftKey ? e.deltaY : e.deltaX) / s, y: at.y + (e.shiftKey ? 0 : e.deltaY) / s }, scale: s, animation: false });
    };
    el.addEventListener('wheel', onWheel, { capture: true, passive: false });
    // a wider or narrower window: rows as wide as the canvas now shows at the readable zoom
    let perRow = rowsFor(el.clientWidth || 900);
    const resized = new ResizeObserver(() => {
      const now = rowsFor(el.clientWidth || 900);
      if (now !== perRow && el.clientWidth > 0) {
        perRow = now;
        handlers.current.redraw();
      }
    });
    resized.observe(el);
    net.current = n;
    return () => {
      resized.disconnect();
      el.removeEventListener('wheel', onWheel, { capture: true });
      n.destroy();
      net.current = null;
    };
  }, []);

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [subject?.id, depth.up, depth.down]);

  // the policy in the Verdict form (kept per case database), or the default preset: its
  // restricted countries mark nodes before any verdict is computed
  useEffect(() => {
    const form = readPlace<VerdictForm>(dbPath, 'verdictForm') ?? app.verdict?.form ?? null;
    const fromForm = form ? policyOfForm(form) : 'restricted-regions';
    const input = fromForm ?? form?.preset ?? 'restricted-regions';
    let gone = false;
    call('policy.get', { policy: input, ...(form?.asOf ? { asOf: form.asOf } : {}) })
      .then((eff) => {
        if (gone) return;
        const countries = Array.isArray(eff.fields.restrictedCountries) ? (eff.fields.restrictedCountries as string[]) : [];
        setPolicy({ name: String(eff.fields.name ?? eff.preset), countries: new Set(countries.map((c) => c.toUpperCase())), note: fromForm === null ? 'the edited policy is not valid JSON: its preset is shown' : null });
      })
      .catch((e) => {
        if (!gone) setPolicy({ name: typeof input === 'string' ? input : 'edited policy', countries: new Set(), note: `the policy could not be read: ${errorText(e)}` });
      });
    return () => {
      gone = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dbPath, app.verdict]);

  useEffect(() => {
    redraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [verdict, policy]);

  const focusNode = (id: string, move = true) => {
    const n = net.current;
    n?.selectNodes([id]);
    // never zoomed out below the readable minimum, never zoomed in further than the user has
    if (move) n?.focus(id, { scale: Math.max(n.getScale(), MIN_SCALE), animation: false });
    if (container.current && n) container.current.dataset.scale = String(n.getScale());
    setSelected(lookup(id) ?? null);
  };
  // Enter in the search box: the first match, then the next one on each Enter; a match hidden in a
  // country cluster opens that cluster
  const findNext = () => {
    const same = find.hits.length > 0;
    const hits = same ? find.hits : findNodes([...graphNodes.current.values()].map((n) => ({ id: n.id, label: n.label })), find.query);
    const at = same ? (find.at + 1) % hits.length : 0;
    setFind({ ...find, hits, at });
    const id = hits[at];
    if (!id) return;
    if (!nodesDs.current.get(id)) {
      const key = groupOfRef.current.get(id);
      if (key) expanded.current.add(key);
      redraw();
    }
    if (nodesDs.current.get(id)) focusNode(id);
  };
  // the canvas's own keys: arrows move between nodes, Enter opens the entity, Space or + expands, - collapses
  const onCanvasKey = (e: React.KeyboardEvent) => {
    const n = net.current;
    if (!n) return;
    const current = selected?.id ?? null;
    if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(e.key)) {
      const next = stepNode(n.getPositions(), current, e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1);
      if (next) focusNode(next);
      e.preventDefault();
    } else if (e.key === 'Enter' && selected?.entityId !== undefined) {
      app.openEntity({ id: selected.entityId, name: selected.label });
    } else if ((e.key === ' ' || e.key === '+') && selected && ((selected as Synthetic).synthetic === 'country-group' || (selected as Synthetic).synthetic === 'show-fewer' || selected.isExpandable || selected.clusterOf)) {
      void expand(selected);
      e.preventDefault();
    } else if ((e.key === '-' || e.key === 'Subtract') && selected) {
      collapse(selected);
      e.preventDefault();
    }
  };

  const download = (name: string, href: string) => {
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  const policyText = (): string => {
    const p = app.verdict?.policy;
    if (!verdict || p === undefined) return policy ? `no verdict computed; restricted countries marked from ${policy.name}` : 'no verdict computed';
    return typeof p === 'string' ? p : JSON.stringify(p).slice(0, 160);
  };
  const header = () => ({ subject: subject ? `${subject.name} (#${subject.id})` : '', policy: policyText(), date: verdict?.asOf ?? new Date().toISOString().slice(0, 10) });
  const legendItems: LegendItem[] = [
    { label: 'subject', fill: COLORS.subject.background, stroke: COLORS.subject.border },
    { label: 'subject, itself restricted (red border)', fill: COLORS.subject.background, stroke: COLORS.restricted.border },
    { label: 'company', fill: COLORS.company.background, stroke: COLORS.company.border },
    { label: 'person', fill: COLORS.person.background, stroke: COLORS.person.border },
    { label: 'branch / cluster (dashed)', fill: COLORS.branch.background, stroke: COLORS.branch.border },
    { label: 'in a restricted country of the policy', fill: COLORS.country.background, stroke: COLORS.country.border },
    { label: 'restricted origin (verdict)', fill: COLORS.restricted.background, stroke: COLORS.restricted.border },
    { label: 'ownership (share as stated)', fill: EDGE.normal, stroke: EDGE.normal },
    { label: 'ownership into a family in rows (share in the box)', fill: EDGE.faint, stroke: EDGE.faint },
    { label: 'path carrying the restricted share', fill: EDGE.path, stroke: EDGE.path },
    { label: 'reported ultimate parent (summary)', fill: EDGE.summary, stroke: EDGE.summary },
    { label: 'ended or inactive', fill: EDGE.old, stroke: EDGE.old },
    { label: 'asserted by investigator (dotted)', fill: EDGE.asserted, stroke: EDGE.asserted },
  ];

  const exportPng = () => {
    const n = net.current;
    const canvas = container.current?.querySelector('canvas');
    if (!n || !canvas) return;
    const ids = Object.keys(n.getPositions());
    if (ids.length === 0) return;
    // The whole drawing at its own size (labels as drawn at 100%), not the part the canvas shows:
    // a real group at a readable zoom is taller than the window. The network is drawn once at that
    // size, captured, and put back as it was, all in this one task (nothing is painted between).
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const id of ids) {
      const b = n.getBoundingBox(id);
      [x0, y0, x1, y1] = [Math.min(x0, b.left), Math.min(y0, b.top), Math.max(x1, b.right), Math.max(y1, b.bottom)];
    }
    const pad = 40;
    const scale = Math.min(1, PNG_MAX_PX / (x1 - x0 + 2 * pad), PNG_MAX_PX / (y1 - y0 + 2 * pad));
    const view = { position: n.getViewPosition(), scale: n.getScale() };
    n.setSize(`${Math.ceil((x1 - x0 + 2 * pad) * scale)}px`, `${Math.ceil((y1 - y0 + 2 * pad) * scale)}px`);
    n.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale, animation: false });
    n.redraw();
    try {
      composePng(canvas);
    } finally {
      n.setSize('100%', '100%');
      n.moveTo({ ...view, animation: false });
      n.redraw();
    }
  };

  const composePng = (canvas: HTMLCanvasElement) => {
    // paint a white background behind the transparent canvas
    // and a header (subject, policy, date) above it and the legend below: a picture pasted in a
    // memo must say what it shows
    const headH = 80, legH = 30 * Math.ceil(legendItems.length / 2) + 20;
    const out = document.createElement('canvas');
    out.width = Math.max(canvas.width, 900);
    out.height = canvas.height + headH + legH;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, headH);
    const h = header();
    ctx.fillStyle = '#0f172a';
    ctx.font = `bold 18px ${GRAPH_FONT}`;
    ctx.fillText(`Ownership graph: ${h.subject}`, 16, 28);
    ctx.font = `14px ${GRAPH_FONT}`;
    ctx.fillStyle = '#334155';
    ctx.fillText(`Policy: ${h.policy}`, 16, 50);
    ctx.fillText(`Date: ${h.date}`, 16, 70);
    legendItems.forEach((it, i) => {
      const x = 16 + (i % 2) * 420, y = headH + canvas.height + 10 + Math.floor(i / 2) * 30;
      ctx.fillStyle = it.fill;
      ctx.strokeStyle = it.stroke;
      ctx.fillRect(x, y, 16, 16);
      ctx.strokeRect(x, y, 16, 16);
      ctx.fillStyle = '#334155';
      ctx.fillText(it.label, x + 22, y + 13);
    });
    download(`ownership-${subject?.id ?? 'graph'}.png`, out.toDataURL('image/png'));
  };

  const exportSvg = () => {
    const n = net.current;
    if (!n) return;
    const pos = n.getPositions();
    const ids = Object.keys(pos);
    if (ids.length === 0) return;
    const boxes = new Map<string, { x: number; y: number; w: number; h: number }>();
    for (const id of ids) {
      const b = n.getBoundingBox(id);
      boxes.set(id, { x: b.left, y: b.top, w: b.right - b.left, h: b.bottom - b.top });
    }
    const nodes = nodesDs.current.get().flatMap((node) => {
      const box = boxes.get(String(node.id));
      if (!box) return [];
      const col = node.color as { background: string; border: string };
      return [{ id: String(node.id), box, lines: String(node.label ?? '').split('\n'), fill: col.background, stroke: col.border, strokeWidth: Number(node.borderWidth ?? 1), fontColor: (node.font as { color?: string } | undefined)?.color ?? '#0f172a' }];
    });
    const edges = edgesDs.current.get().map((e) => ({ from: String(e.from), to: String(e.to), label: e.label, color: (e.color as { color?: string } | undefined)?.color ?? '#64748b', width: Number(e.width ?? 1), dashed: Array.isArray(e.dashes) ? e.dashes : Boolean(e.dashes) }));
    const svg = buildSvg(nodes, edges, header(), legendItems, GRAPH_FONT);
    download(`ownership-${subject?.id ?? 'graph'}.svg`, URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' })));
  };

  const sel = selected as Synthetic | null;
  const selGroup = sel ? sel.groupKey ?? groupOfRef.current.get(sel.id) : undefined;
  const restrictedList = policy ? [...policy.countries].sort().join(', ') : '';

  return (
    <Page
      title={`Ownership graph${subject ? `: ${subject.name}` : ''}`}
      subtitle="Owners above, subsidiaries and branches below. Click a node marked [+] or a country cluster to expand it; double-click to open an entity. Scroll to move, Ctrl+scroll to zoom."
      actions={
        <>
          <label className="inline-label" htmlFor="depth-up">Levels up</label>
          <select id="depth-up" value={depth.up} onChange={(e) => setDepth({ ...depth, up: Number(e.target.value) })}>
            {[1, 2, 3, 5, 8].map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
          <label className="inline-label" htmlFor="depth-down">down</label>
          <select id="depth-down" value={depth.down} onChange={(e) => setDepth({ ...depth, down: Number(e.target.value) })}>
            {[0, 1, 2, 3, 5].map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
          <input type="search" aria-label="Find in graph" placeholder="Find in graph" value={find.query}
            onChange={(e) => setFind({ query: e.target.value, hits: [], at: 0 })} onKeyDown={(e) => { if (e.key === 'Enter') findNext(); }} />
          {find.query ? <span className="muted small" data-testid="graph-find-result">{find.hits.length ? `${find.at + 1} of ${find.hits.length}` : 'Enter to find'}</span> : null}
          <button type="button" onClick={fit}>Fit</button>
          <button type="button" onClick={exportPng}>Export PNG</button>
          <button type="button" onClick={exportSvg}>Export SVG</button>
          {subject ? <ExportDialog scope={{ ref: String(subject.id), up: depth.up, down: depth.down }} label="this neighbourhood" /> : null}
        </>
      }
    >
      <ErrorBox error={error} />
      <div className="graph-wrap">
        <div ref={container} className="graph-canvas" role="application" tabIndex={0} onKeyDown={onCanvasKey}
          aria-label={`Ownership graph with ${counts.nodes} entities. Arrow keys move between entities, Enter opens one, Space expands it or a cluster, minus collapses a group again.`}
          data-nodes={counts.nodes} data-edges={counts.edges} data-shown={counts.shown} data-min-scale={MIN_SCALE} data-asserted={counts.asserted} />
        <aside className="legend" aria-label="Legend">
          <h2>Legend</h2>
          <ul>
            <li><span className="sw" style={{ background: COLORS.subject.background }} /> subject</li>
            <li><span className="sw" style={{ background: COLORS.subject.background, borderColor: COLORS.restricted.border, borderWidth: 2 }} /> subject, itself restricted</li>
            <li><span className="sw" style={{ background: COLORS.company.background, borderColor: COLORS.company.border }} /> company</li>
            <li><span className="sw round" style={{ background: COLORS.person.background, borderColor: COLORS.person.border }} /> person</li>
            <li><span className="sw dashed" /> branch / cluster</li>
            <li><span className="sw dashed" style={{ borderRadius: 5, borderColor: COLORS.cluster.border }} /> subsidiaries in one country (Space or click expands, − collapses)</li>
            <li><span className="sw" style={{ background: COLORS.country.background, borderColor: COLORS.country.border, borderWidth: 2 }} /> in a restricted country of the policy</li>
            <li><span className="sw" style={{ background: COLORS.restricted.background, borderColor: COLORS.restricted.border, borderWidth: 2 }} /> restricted origin (verdict)</li>
            <li><span className="ln" style={{ background: EDGE.normal }} /> ownership (share as stated)</li>
            <li><span className="ln" style={{ background: EDGE.faint }} /> ownership into a family wrapped in rows (the share is in the box)</li>
            <li><span className="ln" style={{ background: EDGE.path }} /> path carrying the restricted share</li>
            <li><span className="ln dashed-ln" /> reported ultimate parent (summary)</li>
            <li><span className="ln" style={{ background: EDGE.old }} /> ended or inactive</li>
            <li data-testid="legend-asserted"><span className="ln dotted-ln" style={{ borderColor: EDGE.asserted }} /> asserted by investigator (dotted; red on a restricted path)</li>
            <li>⚠ undisclosed ownership marker</li>
          </ul>
          <div className="muted small" data-testid="graph-counts">
            {counts.nodes} entities · {counts.edges} links{counts.asserted ? ` (${counts.asserted} asserted by the investigator)` : ''}{counts.merged ? ` · ${counts.merged} merged from several records` : ''}{counts.truncated ? ' · clustered' : ''}{counts.groups ? ` · ${counts.groups} country ${counts.groups === 1 ? 'cluster' : 'clusters'}` : ''}
          </div>
          {policy ? (
            <div className="small" data-testid="graph-policy">
              Restricted countries marked from the policy in the Verdict form, <span className="strong">{policy.name}</span>: {restrictedList || 'none'}
              {policy.note ? <div className="muted">{policy.note}</div> : null}
            </div>
          ) : null}
          {verdict ? <div className="small">Highlights from the verdict: <Tag tone={verdict.verdict === 'restricted' ? 'danger' : 'info'}>{verdict.verdict}</Tag></div> : <div className="muted small">Compute a verdict to highlight restricted origins and paths.</div>}
          {selected ? (
            <div className="selected">
              <h2>Selected</h2>
              <div className="strong">{selected.label.replace(/\n/g, ' ')}</div>
              <div className="muted small">{sel?.synthetic ?? selected.kind}{selected.countries.length ? ` · ${selected.countries.join(', ')}` : ''}</div>
              {policy && selected.countries.length && inRestrictedCountry(selected.countries, policy.countries) ? (
                <div className="small danger" data-testid="selected-restricted">
                  In a country restricted by {policy.name} ({selected.countries.filter((c) => inRestrictedCountry([c], policy.countries)).join(', ')}){verdict ? '' : ', before any verdict'}
                </div>
              ) : null}
              {selected.mergedIds ? (
                <div className="small" data-testid="merged">
                  One entity in {selected.mergedIds.length + 1} records (entity resolution): also {mergedText(selected)}
                </div>
              ) : null}
              {selected.entityId !== undefined ? (
                <button type="button" className="small" onClick={() => app.openEntity({ id: selected.entityId!, name: selected.label })}>Open entity</button>
              ) : null}
              {sel?.synthetic === 'country-group' && sel.groupKey ? (
                <button type="button" className="small" onClick={() => setGroup(sel.groupKey!, true)}>Expand cluster</button>
              ) : null}
              {selGroup && expanded.current.has(selGroup) ? (
                <button type="button" className="small" onClick={() => setGroup(selGroup, false)}>Collapse group</button>
              ) : null}
              {sel?.synthetic === 'show-fewer' && sel.fewerOf ? (
                <button type="button" className="small" onClick={() => showFewer(sel.fewerOf!)}>Show fewer</button>
              ) : null}
            </div>
          ) : null}
        </aside>
      </div>
    </Page>
  );
}
