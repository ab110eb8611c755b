// The ownership diagram: owners above the subject, one row per distance (longest chain) from
// it; restricted origins and the links of paths that matter drawn in red. Pure vector graphics.
import type PDFDocument from 'pdfkit';
import type { Typesetter } from './typeset.js';
import type { VerdictJson } from './types.js';
import { entityViews, pathViews } from './views.js';

type Doc = InstanceType<typeof PDFDocument>;

export const COLORS = {
  ink: '#1a1a1a',
  muted: '#5f6770',
  rule: '#cfd5dc',
  navy: '#1f3a5f',
  red: '#b3261e',
  redFill: '#fbeae8',
  green: '#1e6b34',
  greenFill: '#e7f3ea',
  amber: '#9a5b00',
  amberFill: '#fdf1dc',
  headerFill: '#eef1f4',
  grey: '#8a939c',
};

interface Node {
  id: string;
  name: string;
  country: string | null;
  note: string | null;
  isRestricted: boolean;
  isSubject: boolean;
  level: number;
  x: number;
  y: number;
  w: number;
}

interface Edge {
  owner: string;
  owned: string;
  label: string;
  isHighlighted: boolean;
}

const BOX_H = 40;
const ROW_GAP = 44;
const MAX_PER_ROW = 6;

export interface DiagramModel {
  nodes: Node[];
  edges: Edge[];
  rows: number;
  hiddenCount: number;
}

export function buildDiagram(v: VerdictJson): DiagramModel {
  const entities = entityViews(v);
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Edge>();
  const subjectId = String(v.subject.id);
  const touch = (id: string, name: string) => {
    if (nodes.has(id)) return;
    const e = entities.get(id);
    nodes.set(id, {
      id,
      name: e?.name ?? name,
      country: e?.country ?? null,
      note: e?.note ?? null,
      isRestricted: e?.isRestricted === true,
      isSubject: id === subjectId,
      level: 0,
      x: 0,
      y: 0,
      w: 0,
    });
  };
  touch(subjectId, v.subject.name);
  for (const path of pathViews(v)) {
    for (const l of path.edges) {
      touch(l.ownerId, l.ownerName);
      touch(l.ownedId, l.ownedName);
      const key = `${l.ownerId}\u0000${l.ownedId}`;
      const prior = edges.get(key);
      edges.set(key, {
        owner: l.ownerId,
        owned: l.ownedId,
        label: prior?.label ?? l.label,
        isHighlighted: (prior?.isHighlighted ?? false) || path.matters,
      });
    }
  }
  // Longest distance above the subject; bounded relaxation so a cycle cannot loop forever.
  const list = [...nodes.values()];
  for (let round = 0; round < list.length; round++) {
    let changed = false;
    for (const e of edges.values()) {
      const owner = nodes.get(e.owner)!;
      const owned = nodes.get(e.owned)!;
      if (owner.isSubject) continue;
      if (owner.level < owned.level + 1) {
        owner.level = owned.level + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = Math.max(0, ...list.map((n) => n.level)) + 1;
  return { nodes: list, edges: [...edges.values()], rows, hiddenCount: 0 };
}

export function diagramHeight(model: DiagramModel): number {
  return model.rows * BOX_H + (model.rows - 1) * ROW_GAP + 34;
}

export function drawDiagram(doc: Doc, ts: Typesetter, model: DiagramModel, x: number, top: number, width: number): number {
  const byLevel: Node[][] = Array.from({ length: model.rows }, () => []);
  for (const n of model.nodes) byLevel[n.level]!.push(n);
  const rowTop = (level: number) => top + (model.rows - 1 - level) * (BOX_H + ROW_GAP);
  const place = (row: Node[]) => {
    const count = Math.min(row.length, MAX_PER_ROW);
    const gap = 12;
    const w = Math.min(150, (width - gap * (count - 1)) / count);
    const total = count * w + (count - 1) * gap;
    row.slice(0, count).forEach((n, i) => {
      n.w = w;
      n.x = x + (width - total) / 2 + i * (w + gap);
    });
  };
  // Order each row by the mean position of what its nodes own, bottom-up, to keep lines short.
  byLevel.forEach((row, level) => {
    if (level > 0) {
      const centre = (n: Node) => {
        const targets = model.edges.filter((e) => e.owner === n.id).map((e) => model.nodes.find((m) => m.id === e.owned)!);
        const placed = targets.filter((t) => t.w > 0);
        return placed.length ? placed.reduce((s, t) => s + t.x + t.w / 2, 0) / placed.length : x + width / 2;
      };
      row.sort((a, b) => centre(a) - centre(b) || Number(b.isRestricted) - Number(a.isRestricted));
    }
    place(row);
    row.forEach((n) => (n.y = rowTop(level)));
  });
  const visible = new Set(model.nodes.filter((n) => n.w > 0).map((n) => n.id));
  const hidden = model.nodes.length - visible.size;
  const byId = new Map(model.nodes.map((n) => [n.id, n]));

  // Edges first so boxes sit on top of line ends. Several edges into one box fan out along its top.
  const incoming = new Map<string, Edge[]>();
  for (const e of model.edges) {
    if (!visible.has(e.owner) || !visible.has(e.owned)) continue;
    incoming.set(e.owned, [...(incoming.get(e.owned) ?? []), e]);
  }
  const labels: Array<{ text: string; cx: number; cy: number; isHighlighted: boolean }> = [];
  const drawEdges = (highlighted: boolean) => {
    for (const [ownedId, list] of incoming) {
      const owned = byId.get(ownedId)!;
      const sorted = [...list].sort((a, b) => byId.get(a.owner)!.x - byId.get(b.owner)!.x);
      sorted.forEach((e, i) => {
        if (e.isHighlighted !== highlighted) return;
        const owner = byId.get(e.owner)!;
        const x1 = owner.x + owner.w / 2;
        const y1 = owner.y + BOX_H;
        const x2 = owned.x + (owned.w * (i + 1)) / (sorted.length + 1);
        const y2 = owned.y;
        const color = highlighted ? COLORS.red : COLORS.grey;
        doc.save();
        doc.lineWidth(highlighted ? 1.6 : 0.8).strokeColor(color);
        doc.moveTo(x1, y1).lineTo(x2, y2 - 4).stroke();
        // Arrowhead pointing at the owned entity.
        const ang = Math.atan2(y2 - y1, x2 - x1);
        const ah = 6;
        doc
          .moveTo(x2, y2)
          .lineTo(x2 - ah * Math.cos(ang - 0.4), y2 - ah * Math.sin(ang - 0.4))
          .lineTo(x2 - ah * Math.cos(ang + 0.4), y2 - ah * Math.sin(ang + 0.4))
          .closePath()
          .fill(color);
        doc.restore();
        // Label nearer the owner end when lines converge on one box, so labels do not stack.
        const t = sorted.length > 1 ? 0.4 : 0.5;
        labels.push({ text: e.label, cx: x1 + (x2 - x1) * t, cy: y1 + (y2 - y1) * t, isHighlighted: highlighted });
      });
    }
  };
  drawEdges(false);
  drawEdges(true);

  for (const n of model.nodes) {
    if (!visible.has(n.id)) continue;
    const stroke = n.isSubject ? COLORS.navy : n.isRestricted ? COLORS.red : COLORS.grey;
    const fill = n.isSubject ? '#e6edf5' : n.isRestricted ? COLORS.redFill : '#ffffff';
    doc.save();
    doc.roundedRect(n.x, n.y, n.w, BOX_H, 4).lineWidth(n.isSubject || n.isRestricted ? 1.4 : 0.8).fillAndStroke(fill, stroke);
    doc.restore();
    const inner = n.w - 10;
    const nameStyle = { size: 7.5, weight: n.isSubject ? ('bold' as const) : ('regular' as const), color: COLORS.ink };
    const lines = ts.wrap(n.name, inner, nameStyle);
    const shown = lines.length > 2 ? [lines[0]!, ts.fit(lines.slice(1).join(' '), inner, nameStyle)] : lines;
    const meta = ts.fit([n.country, n.isSubject ? 'subject' : n.isRestricted ? (n.note ?? 'restricted origin') : null].filter(Boolean).join(' · '), inner, { size: 6.5 });
    const blockH = shown.length * 9.5 + (meta ? 9 : 0);
    let base = n.y + (BOX_H - blockH) / 2 + 7.5;
    for (const l of shown) {
      ts.line(l, n.x + 5, base, { ...nameStyle, align: 'center', width: inner });
      base += 9.5;
    }
    if (meta) ts.line(meta, n.x + 5, base + 0.5, { size: 6.5, color: n.isRestricted ? COLORS.red : COLORS.muted, align: 'center', width: inner });
  }

  for (const l of labels) {
    const style = { size: 7, weight: 'bold' as const, color: l.isHighlighted ? COLORS.red : COLORS.muted };
    const w = ts.width(l.text, style) + 8;
    doc.save();
    doc.roundedRect(l.cx - w / 2, l.cy - 6, w, 12, 3).lineWidth(0.6).fillAndStroke('#ffffff', l.isHighlighted ? COLORS.red : COLORS.rule);
    doc.restore();
    ts.line(l.text, l.cx - w / 2, l.cy + 2.5, { ...style, align: 'center', width: w });
  }

  // Legend.
  const ly = top + model.rows * BOX_H + (model.rows - 1) * ROW_GAP + 14;
  let lx = x;
  const legendItem = (draw: () => void, text: string) => {
    draw();
    lx += 22;
    lx += ts.line(text, lx, ly + 7, { size: 7, color: COLORS.muted }) + 16;
  };
  legendItem(() => {
    doc.save().roundedRect(lx, ly, 16, 9, 2).lineWidth(1.2).fillAndStroke(COLORS.redFill, COLORS.red).restore();
  }, 'Entity in a restricted region');
  legendItem(() => {
    doc.save().lineWidth(1.6).strokeColor(COLORS.red).moveTo(lx, ly + 4.5).lineTo(lx + 16, ly + 4.5).stroke().restore();
  }, 'Link on a path from a restricted origin');
  legendItem(() => {
    doc.save().lineWidth(0.8).strokeColor(COLORS.grey).moveTo(lx, ly + 4.5).lineTo(lx + 16, ly + 4.5).stroke().restore();
  }, 'Other ownership link (arrow points to the owned entity)');
  if (hidden > 0) ts.line(`${hidden} further owner(s) not drawn; all appear in the evidence paths.`, x, ly + 20, { size: 7, color: COLORS.muted });
  return diagramHeight(model) + (hidden > 0 ? 12 : 0);
}
