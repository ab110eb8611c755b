import { useEffect, useRef, useState } from 'react';
import { DataSet, Network, type Edge, type Node, type Options } from 'vis-network/standalone';
import type { GraphEdge, GraphNode, GraphResult, VerdictResult } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { useApp } from '../state';
import { ErrorBox, Page, Tag } from '../ui';
import { ExportDialog } from './ExportDialog';
import { buildSvg, type LegendItem } from '../graph/export';
import { findNodes, stepNode, wrapLevels } from '../graph/layout';

// the canvas draws names in any script with the same bundled faces as the page (styles.css)
// the faces of renderer/src/styles.css (--script-fonts): a canvas cannot read a CSS variable
const GRAPH_FONT = "Inter, 'Segoe UI', 'Ownerscope CJK', 'Ownerscope Hangul', 'Ownerscope Arabic', 'Ownerscope Hebrew', 'Ownerscope Georgian', 'Ownerscope Armenian', 'Ownerscope Thai', 'Ownerscope Bengali', 'Ownerscope Tamil', 'Ownerscope Ethiopic', 'Ownerscope Devanagari', system-ui, sans-serif";
const COLORS = {
  subject: { background: '#1d4ed8', border: '#1e3a8a', font: '#ffffff' },
  company: { background: '#ffffff', border: '#94a3b8', font: '#0f172a' },
  person: { background: '#f0fdf4', border: '#4ade80', font: '#14532d' },
  branch: { background: '#f8fafc', border: '#cbd5e1', font: '#334155' },
  cluster: { background: '#f1f5f9', border: '#94a3b8', font: '#475569' },
  restricted: { background: '#fee2e2', border: '#dc2626', font: '#7f1d1d' },
};
const EDGE = { normal: '#64748b', summary: '#a5b4fc', path: '#dc2626', old: '#cbd5e1', asserted: '#7c3aed' };
/** An investigator's assertion (issue 14): dotted, never the registry's solid or summary dashes. */
export const ASSERTED_DASHES = [2, 5];

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

function shortLabel(s: string): string {
  return s.length > 34 ? `${s.slice(0, 32)}…` : s;
}

export function GraphView() {
  const app = useApp();
  const container = useRef<HTMLDivElement>(null);
  const net = useRef<Network | null>(null);
  const nodesDs = useRef(new DataSet<Node>());
  const edgesDs = useRef(new DataSet<Edge>());
  const graphNodes = useRef(new Map<string, GraphNode>());
  const graphEdges = useRef(new Map<string, GraphEdge>());
  // the subject's node: its canonical entity when resolution merged it with others
  const rootId = useRef<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState({ nodes: 0, edges: 0, merged: 0, asserted: 0, truncated: false });
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const [depth, setDepth] = useState({ up: 3, down: 2 });
  const [find, setFind] = useState({ query: '', hits: [] as string[], at: 0 });
  const subject = app.subject;
  const verdict = app.verdict && subject && app.verdict.subjectId === subject.id ? app.verdict.result : null;
  const hl = highlights(verdict);

  const styleNode = (n: GraphNode): Node => {
    const isOrigin = n.entityId !== undefined && hl.origins.has(String(n.entityId));
    // the subject stays blue when it is itself a restricted origin (a red border says so): the
    // investigator must still find the company the graph is about
    const c = n.isSubject ? (isOrigin ? { ...COLORS.subject, border: COLORS.restricted.border } : COLORS.subject) : isOrigin ? COLORS.restricted : n.kind === 'cluster' ? COLORS.cluster : n.kind === 'person' ? COLORS.person : n.kind === 'branch' ? COLORS.branch : COLORS.company;
    const records = n.mergedIds ? `${n.mergedIds.length + 1} records` : '';
    const flags = [n.countries.join('/'), records, n.hasUndisclosed ? '⚠ undisclosed' : '', n.isExpandable && n.kind !== 'cluster' ? '[+]' : ''].filter(Boolean).join('  ');
    return {
      id: n.id,
      label: n.kind === 'cluster' ? n.label : `${shortLabel(n.label)}${flags ? `\n${flags}` : ''}`,
      level: n.level,
      shape: n.kind === 'cluster' ? 'ellipse' : n.kind === 'person' ? 'ellipse' : 'box',
      color: { background: c.background, border: c.border, highlight: { background: c.background, border: '#f59e0b' } },
      font: { color: c.font, size: 13, face: GRAPH_FONT, multi: false },
      borderWidth: isOrigin || n.isSubject ? 3 : n.hasUndisclosed ? 2 : 1,
      shapeProperties: { borderDashes: n.kind === 'cluster' || n.kind === 'branch' ? [4, 3] : false },
      margin: { top: 8, right: 10, bottom: 8, left: 10 },
      title: `${n.label}${n.countries.length ? ` (${n.countries.join(', ')})` : ''}${records ? `\n${records} of one entity (merged: ${mergedText(n)})` : ''}`,
    };
  };

  const styleEdge = (e: GraphEdge): Edge => {
    const from = graphNodes.current.get(e.from)?.entityId;
    const to = graphNodes.current.get(e.to)?.entityId;
    const onPath = from !== undefined && to !== undefined && hl.pathEdges.has(`${from}>${to}`);
    const isAsserted = e.assertionId !== undefined;
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: e.kind === 'cluster' ? undefined : isAsserted ? `${e.label} (asserted)` : e.label,
      // the code the registry used, for the investigator who checks it against the source
      title: isAsserted ? `Asserted by the investigator (assertion ${e.assertionId}): ${e.stated ?? ''}` : e.stated ? `As stated: ${e.stated}` : undefined,
      arrows: { to: { enabled: e.kind !== 'cluster', scaleFactor: 0.6 } },
      dashes: isAsserted ? ASSERTED_DASHES : e.isSummary || e.kind === 'cluster' || e.kind === 'branch',
      width: onPath ? 3 : isAsserted ? 2.4 : 1.2,
      // on a restricted path it stays red (the path matters most); dotted still says asserted
      color: { color: onPath ? EDGE.path : isAsserted ? EDGE.asserted : !e.isCurrent ? EDGE.old : e.isSummary ? EDGE.summary : EDGE.normal },
      font: { size: 11, face: GRAPH_FONT, color: onPath ? EDGE.path : isAsserted ? EDGE.asserted : '#334155', strokeWidth: 3, strokeColor: '#ffffff', align: 'horizontal' },
      // a summary link ("ultimately consolidated by") often joins the same two entities as the direct
      // link: curve it so both lines and labels stay readable
      smooth: e.isSummary ? { enabled: true, type: 'curvedCW', roundness: 0.5 } : false,
    };
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
    redraw();
    const merged = [...graphNodes.current.values()].filter((n) => n.mergedIds).length;
    const asserted = [...graphEdges.current.values()].filter((e) => e.assertionId !== undefined).length;
    setCounts({ nodes: graphNodes.current.size, edges: graphEdges.current.size, merged, asserted, truncated: g.isTruncated });
  };

  const redraw = () => {
    nodesDs.current.clear();
    edgesDs.current.clear();
    // long levels wrapped into rows so "Fit" of a group with 80+ subsidiaries stays legible
    const levels = wrapLevels([...graphNodes.current.values()].map((n) => ({ id: n.id, level: n.level })));
    nodesDs.current.add([...graphNodes.current.values()].map((n) => ({ ...styleNode(n), level: levels.get(n.id) ?? n.level })));
    edgesDs.current.add([...graphEdges.current.values()].filter((e) => graphNodes.current.has(e.from) && graphNodes.current.has(e.to)).map(styleEdge));
  };

  const load = async () => {
    if (!subject) return;
    setError(null);
    graphNodes.current.clear();
    graphEdges.current.clear();
    try {
      const g = await call('graph.neighbourhood', { ref: String(subject.id), up: depth.up, down: depth.down });
      rootId.current = g.subjectId;
      merge(g, 0);
      net.current?.fit({ animation: false });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const expand = async (n: GraphNode) => {
    try {
      if (n.clusterOf) {
        // show the next page of that node's links instead of the cluster
        const shown = [...graphEdges.current.values()].filter((e) =>
          n.clusterOf!.direction === 'up' ? e.to === `e${n.clusterOf!.entityId}` : e.from === `e${n.clusterOf!.entityId}`,
        ).length;
        const g = await call('graph.neighbourhood', {
          ref: String(n.clusterOf.entityId), up: n.clusterOf.direction === 'up' ? 1 : 0, down: n.clusterOf.direction === 'down' ? 1 : 0,
          maxPerNode: Math.min(1000, shown + 100),
        });
        graphNodes.current.delete(n.id);
        // the cluster is gone: the side panel must not go on naming it
        setSelected(null);
        for (const [id, e] of graphEdges.current) if (e.from === n.id || e.to === n.id) graphEdges.current.delete(id);
        const base = graphNodes.current.get(`e${n.clusterOf.entityId}`)?.level ?? 0;
        merge(g, base);
      } else if (n.entityId !== undefined) {
        const g = await call('graph.neighbourhood', { ref: String(n.entityId), up: n.level <= 0 ? 1 : 0, down: n.level >= 0 ? 1 : 0 });
        const node = graphNodes.current.get(n.id);
        if (node) node.isExpandable = false;
        merge(g, n.level);
      }
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    if (!container.current) return;
    const options: Options = {
      layout: { hierarchical: { enabled: true, direction: 'UD', sortMethod: 'directed', levelSeparation: 170, nodeSpacing: 220, treeSpacing: 220, shakeTowards: 'roots' } },
      // physics off: a layout that is computed once never freezes on large neighbourhoods
      physics: { enabled: false },
      interaction: { hover: true, keyboard: { enabled: false }, navigationButtons: false, multiselect: false, tooltipDelay: 250 },
      edges: { selectionWidth: 2 },
    };
    const n = new Network(container.current, { nodes: nodesDs.current, edges: edgesDs.current }, options);
    n.on('click', (p: { nodes: string[] }) => {
      const id = p.nodes[0];
      const node = id ? graphNodes.current.get(id) : undefined;
      setSelected(node ?? null);
      if (node && (node.isExpandable || node.clusterOf)) void expand(node);
    });
    n.on('doubleClick', (p: { nodes: string[] }) => {
      const node = p.nodes[0] ? graphNodes.current.get(p.nodes[0]) : undefined;
      if (node?.entityId !== undefined) app.openEntity({ id: node.entityId, name: node.label });
    });
    net.current = n;
    return () => {
      n.destroy();
      net.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [subject?.id, depth.up, depth.down]);

  useEffect(() => {
    redraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [verdict]);

  const focusNode = (id: string) => {
    net.current?.selectNodes([id]);
    net.current?.focus(id, { scale: 1, animation: false });
    setSelected(graphNodes.current.get(id) ?? null);
  };
  // Enter in the search box: the first match, then the next one on each Enter
  const findNext = () => {
    const same = find.hits.length > 0;
    const hits = same ? find.hits : findNodes([...graphNodes.current.values()].map((n) => ({ id: n.id, label: n.label })), find.query);
    const at = same ? (find.at + 1) % hits.length : 0;
    setFind({ ...find, hits, at });
    if (hits[at]) focusNode(hits[at]!);
  };
  // the canvas's own keys: arrows move between nodes, Enter opens the entity, Space or + expands
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
    } else if ((e.key === ' ' || e.key === '+') && selected && (selected.isExpandable || selected.clusterOf)) {
      void expand(selected);
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
    if (!verdict || p === undefined) return 'no verdict computed';
    return typeof p === 'string' ? p : JSON.stringify(p).slice(0, 160);
  };
  const header = () => ({ subject: subject ? `${subject.name} (#${subject.id})` : '', policy: policyText(), date: verdict?.asOf ?? new Date().toISOString().slice(0, 10) });
  const legendItems: LegendItem[] = [
    { label: 'subject', fill: COLORS.subject.background, stroke: COLORS.subject.border },
    { label: 'company', fill: COLORS.company.background, stroke: COLORS.company.border },
    { label: 'person', fill: COLORS.person.background, stroke: COLORS.person.border },
    { label: 'branch / cluster (dashed)', fill: COLORS.branch.background, stroke: COLORS.branch.border },
    { label: 'restricted origin', fill: COLORS.restricted.background, stroke: COLORS.restricted.border },
    { label: 'path carrying the restricted share', fill: EDGE.path, stroke: EDGE.path },
    { label: 'reported ultimate parent (summary)', fill: EDGE.summary, stroke: EDGE.summary },
    { label: 'ended or inactive', fill: EDGE.old, stroke: EDGE.old },
    { label: 'asserted by investigator (dotted)', fill: EDGE.asserted, stroke: EDGE.asserted },
  ];

  const exportPng = () => {
    const canvas = container.current?.querySelector('canvas');
    if (!canvas) return;
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

  return (
    <Page
      title={`Ownership graph${subject ? `: ${subject.name}` : ''}`}
      subtitle="Owners above, subsidiaries and branches below. Click a node marked [+] to expand it, a cluster to show more; double-click to open an entity."
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
          <button type="button" onClick={() => net.current?.fit({ animation: false })}>Fit</button>
          <button type="button" onClick={exportPng}>Export PNG</button>
          <button type="button" onClick={exportSvg}>Export SVG</button>
          {subject ? <ExportDialog scope={{ ref: String(subject.id), up: depth.up, down: depth.down }} label="this neighbourhood" /> : null}
        </>
      }
    >
      <ErrorBox error={error} />
      <div className="graph-wrap">
        <div ref={container} className="graph-canvas" role="application" tabIndex={0} onKeyDown={onCanvasKey}
          aria-label={`Ownership graph with ${counts.nodes} entities. Arrow keys move between entities, Enter opens one, Space expands it.`} data-nodes={counts.nodes} data-edges={counts.edges} data-asserted={counts.asserted} />
        <aside className="legend" aria-label="Legend">
          <h2>Legend</h2>
          <ul>
            <li><span className="sw" style={{ background: COLORS.subject.background }} /> subject</li>
            <li><span className="sw" style={{ background: COLORS.company.background, borderColor: COLORS.company.border }} /> company</li>
            <li><span className="sw round" style={{ background: COLORS.person.background, borderColor: COLORS.person.border }} /> person</li>
            <li><span className="sw dashed" /> branch / cluster</li>
            <li><span className="sw" style={{ background: COLORS.restricted.background, borderColor: COLORS.restricted.border }} /> restricted origin</li>
            <li><span className="ln" style={{ background: EDGE.normal }} /> ownership (share as stated)</li>
            <li><span className="ln" style={{ background: EDGE.path }} /> path carrying the restricted share</li>
            <li><span className="ln dashed-ln" /> reported ultimate parent (summary)</li>
            <li><span className="ln" style={{ background: EDGE.old }} /> ended or inactive</li>
            <li data-testid="legend-asserted"><span className="ln dotted-ln" style={{ borderColor: EDGE.asserted }} /> asserted by investigator (dotted; red on a restricted path)</li>
            <li>⚠ undisclosed ownership marker</li>
          </ul>
          <div className="muted small" data-testid="graph-counts">
            {counts.nodes} entities · {counts.edges} links{counts.asserted ? ` (${counts.asserted} asserted by the investigator)` : ''}{counts.merged ? ` · ${counts.merged} merged from several records` : ''}{counts.truncated ? ' · clustered' : ''}
          </div>
          {verdict ? <div className="small">Highlights from the verdict: <Tag tone={verdict.verdict === 'restricted' ? 'danger' : 'info'}>{verdict.verdict}</Tag></div> : <div className="muted small">Compute a verdict to highlight restricted origins and paths.</div>}
          {selected ? (
            <div className="selected">
              <h2>Selected</h2>
              <div className="strong">{selected.label}</div>
              <div className="muted small">{selected.kind}{selected.countries.length ? ` · ${selected.countries.join(', ')}` : ''}</div>
              {selected.mergedIds ? (
                <div className="small" data-testid="merged">
                  One entity in {selected.mergedIds.length + 1} records (entity resolution): also {mergedText(selected)}
                </div>
              ) : null}
              {selected.entityId !== undefined ? (
                <button type="button" className="small" onClick={() => app.openEntity({ id: selected.entityId!, name: selected.label })}>Open entity</button>
              ) : null}
            </div>
          ) : null}
        </aside>
      </div>
    </Page>
  );
}
