// The graph as a standalone SVG: a header (subject, policy, date), a legend, and every edge label
// drawn after the nodes at a point of its line that no node covers (a "51%" label centred between
// two close boxes used to sit under one and export as "1%"). Pure: no DOM, unit-tested.

export interface Box { x: number; y: number; w: number; h: number }
export interface SvgNode { id: string; box: Box; lines: string[]; fill: string; stroke: string; strokeWidth: number; fontColor: string }
/** `dashed`: true for the usual dashes, or a dash pattern (an asserted link's dots) */
export interface SvgEdge { from: string; to: string; label?: string; color: string; width: number; dashed: boolean | number[] }
export interface SvgHeader { subject: string; policy: string; date: string }
export interface LegendItem { label: string; fill: string; stroke: string }

export const LABEL_CHAR_W = 6.5;
export const LABEL_H = 14;

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The label's box centred at (cx, cy). */
export function labelBox(text: string, cx: number, cy: number): Box {
  const w = text.length * LABEL_CHAR_W + 6;
  return { x: cx - w / 2, y: cy - LABEL_H / 2, w, h: LABEL_H };
}

/**
 * Where on the line from (x1,y1) to (x2,y2) a label goes: the middle when no node covers it, else
 * the point nearest the middle that is clear of every node and of labels already placed; the
 * middle shifted sideways when the whole line is covered.
 */
export function placeLabel(text: string, x1: number, y1: number, x2: number, y2: number, obstacles: Box[]): { x: number; y: number } {
  const ts = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85];
  for (const t of ts) {
    const x = x1 + (x2 - x1) * t;
    const y = y1 + (y2 - y1) * t;
    const b = labelBox(text, x, y);
    if (!obstacles.some((o) => overlaps(o, b))) return { x, y };
  }
  const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
  for (let dx = LABEL_H; dx < 2000; dx += LABEL_H) {
    for (const s of [1, -1]) {
      const b = labelBox(text, mx + s * dx, my);
      if (!obstacles.some((o) => overlaps(o, b))) return { x: mx + s * dx, y: my };
    }
  }
  return { x: mx, y: my };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export function buildSvg(nodes: SvgNode[], edges: SvgEdge[], header: SvgHeader, legend: LegendItem[], font: string): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const pad = 40;
  const minX = Math.min(...nodes.map((n) => n.box.x)) - pad;
  const maxX = Math.max(...nodes.map((n) => n.box.x + n.box.w)) + pad;
  const graphTop = Math.min(...nodes.map((n) => n.box.y)) - pad;
  const maxY = Math.max(...nodes.map((n) => n.box.y + n.box.h)) + pad;
  const headH = 70;
  // two columns: the longest legend text is ~36 characters
  const legendH = 22 * Math.ceil(legend.length / 2) + 16;
  const width = Math.max(maxX - minX, 720);
  const top = graphTop - headH;
  const height = maxY - top + legendH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${top} ${width} ${height}" width="${width}" height="${height}" font-family="${esc(font)}" font-size="12">`);
  out.push(`<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>`);
  out.push(`<rect x="${minX}" y="${top}" width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<g id="header"><text x="${minX + 16}" y="${top + 24}" font-size="16" font-weight="bold" fill="#0f172a">Ownership graph: ${esc(header.subject)}</text>`);
  out.push(`<text x="${minX + 16}" y="${top + 44}" fill="#334155">Policy: ${esc(header.policy)}</text>`);
  out.push(`<text x="${minX + 16}" y="${top + 60}" fill="#334155">Date: ${esc(header.date)}</text></g>`);
  const obstacles: Box[] = nodes.map((n) => n.box);
  const labels: string[] = [];
  for (const e of edges) {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) continue;
    const x1 = a.box.x + a.box.w / 2, y1 = a.box.y + a.box.h, x2 = b.box.x + b.box.w / 2, y2 = b.box.y;
    out.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${e.color}" stroke-width="${e.width}"${Array.isArray(e.dashed) ? ` stroke-dasharray="${e.dashed.join(' ')}"` : e.dashed ? ' stroke-dasharray="5 4"' : ''} marker-end="url(#a)"/>`);
    if (e.label) {
      const p = placeLabel(e.label, x1, y1, x2, y2, obstacles);
      obstacles.push(labelBox(e.label, p.x, p.y));
      labels.push(`<text class="edge-label" x="${p.x}" y="${p.y + 4}" text-anchor="middle" fill="#334155" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(e.label)}</text>`);
    }
  }
  for (const n of nodes) {
    out.push(`<rect class="node" x="${n.box.x}" y="${n.box.y}" width="${n.box.w}" height="${n.box.h}" rx="4" fill="${n.fill}" stroke="${n.stroke}" stroke-width="${n.strokeWidth}"/>`);
    n.lines.forEach((l, i) => {
      out.push(`<text x="${n.box.x + n.box.w / 2}" y="${n.box.y + n.box.h / 2 + (i - (n.lines.length - 1) / 2) * 15 + 4}" text-anchor="middle" fill="${n.fontColor}">${esc(l)}</text>`);
    });
  }
  // labels last: above every node and line
  out.push(`<g id="edge-labels">${labels.join('')}</g>`);
  out.push(`<g id="legend">`);
  legend.forEach((item, i) => {
    const x = minX + 16 + (i % 2) * 320;
    const y = maxY + 8 + Math.floor(i / 2) * 22;
    out.push(`<rect x="${x}" y="${y}" width="14" height="14" rx="2" fill="${item.fill}" stroke="${item.stroke}"/><text x="${x + 20}" y="${y + 11}" fill="#334155">${esc(item.label)}</text>`);
  });
  out.push('</g></svg>');
  return out.join('\n');
}
