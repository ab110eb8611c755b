// Where the graph view puts its nodes, pure and unit-tested. vis-network's hierarchical layout
// draws a level of 99 subsidiaries as one line 99 boxes wide, which "Fit" shrinks to unreadable
// dots; here every level is wrapped into rows no wider than the canvas shows at a readable zoom,
// and "Fit" never zooms out below that zoom (the view scrolls instead).

/** Node labels are drawn at this size (px at zoom 1). */
export const LABEL_PX = 14;
/** The smallest zoom "Fit" goes to: 14 px labels stay 10.5 px on screen, readable. */
export const MIN_SCALE = 0.75;
/** Horizontal distance between the centres of two boxes in a row, and the widest a box gets. */
export const NODE_DX = 190;
export const NODE_MAX_W = 150;
/** Vertical distance between the rows of one level, and between two levels. */
export const ROW_DY = 100;
export const LEVEL_DY = 150;

export interface LevelNode { id: string; level: number }
export interface LinkLike { from: string; to: string }

/** How many boxes fit side by side in a canvas `widthPx` wide at the minimum zoom (at least 3). */
export function rowsFor(widthPx: number, scale = MIN_SCALE, dx = NODE_DX): number {
  return Math.max(3, Math.floor(widthPx / (scale * dx)));
}

/** The zoom "Fit" uses: vis-network's fitted zoom, never below the readable minimum. */
export function fitScale(fitted: number, min = MIN_SCALE): number {
  return Math.max(min, Math.min(fitted, 1.2));
}

/** The least free space between two rows of one level, and between two levels (room for the links' words). */
export const ROW_GAP = 22;
export const LEVEL_GAP = 70;

/**
 * Positions for every node: the subject's level at y 0, owners' levels above, subsidiaries' below;
 * a level longer than `perRow` becomes several rows. Within a level the nodes follow the order of
 * the node they hang from in the level nearer the subject (so a family stays together), then the
 * order given (`nodes`' order). Each row is centred on x 0. With `heights` (the drawn boxes',
 * measured), rows are pushed apart so that no box of one row meets a box of the next.
 */
export function rowLayout(nodes: LevelNode[], links: LinkLike[], perRow: number, heights?: ReadonlyMap<string, number>): Map<string, { x: number; y: number }> {
  const byLevel = new Map<number, string[]>();
  const levelOf = new Map<string, number>();
  const given = new Map<string, number>();
  nodes.forEach((n, i) => {
    levelOf.set(n.id, n.level);
    given.set(n.id, i);
    const l = byLevel.get(n.level) ?? [];
    l.push(n.id);
    byLevel.set(n.level, l);
  });
  // a node's neighbours one level nearer the subject: what it hangs from
  const toward = new Map<string, string[]>();
  for (const e of links) {
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]] as const) {
      const la = levelOf.get(a), lb = levelOf.get(b);
      if (la === undefined || lb === undefined || la === 0) continue;
      if (Math.abs(lb) === Math.abs(la) - 1 && Math.sign(lb || la) === Math.sign(la)) (toward.get(a) ?? toward.set(a, []).get(a)!).push(b);
    }
  }
  const rank = new Map<string, number>();
  const pos = new Map<string, { x: number; y: number }>();
  const width = Math.max(1, perRow);
  const height = (row: string[]) => Math.max(0, ...row.map((id) => heights?.get(id) ?? 0));
  /** The level's rows, nearest the subject first; x set, y left to the caller. */
  const rowsOf = (level: number): string[][] => {
    const ids = byLevel.get(level) ?? [];
    const key = (id: string) => {
      const ranks = (toward.get(id) ?? []).map((p) => rank.get(p)).filter((r): r is number => r !== undefined);
      return ranks.length ? Math.min(...ranks) : Number.MAX_SAFE_INTEGER;
    };
    const ordered = [...ids].sort((a, b) => key(a) - key(b) || given.get(a)! - given.get(b)!);
    ordered.forEach((id, i) => rank.set(id, i));
    const rows: string[][] = [];
    for (let i = 0; i < ordered.length; i += width) rows.push(ordered.slice(i, i + width));
    for (const row of rows) row.forEach((id, col) => pos.set(id, { x: (col - (row.length - 1) / 2) * NODE_DX, y: 0 }));
    return rows;
  };
  const levels = [...byLevel.keys()];
  const subjectRows = rowsOf(0);
  // subsidiaries' side: the subject's level, then each level below, row after row downwards
  let prev: { y: number; h: number } | null = null;
  const stack = (rows: string[][], dir: 1 | -1, newLevel: boolean) => {
    rows.forEach((row, i) => {
      const h = height(row);
      const first = i === 0 && newLevel;
      const y: number = prev === null ? 0 : prev.y + dir * Math.max(first ? LEVEL_DY : ROW_DY, prev.h / 2 + (first ? LEVEL_GAP : ROW_GAP) + h / 2);
      for (const id of row) pos.get(id)!.y = y;
      prev = { y, h };
    });
  };
  stack(subjectRows, 1, false);
  for (let l = 1; l <= Math.max(0, ...levels); l++) if (byLevel.has(l)) stack(rowsOf(l), 1, true);
  // owners' side: from the subject's first row upwards
  prev = subjectRows.length ? { y: 0, h: height(subjectRows[0]!) } : null;
  for (let l = -1; l >= Math.min(0, ...levels); l--) if (byLevel.has(l)) stack(rowsOf(l), -1, true);
  return pos;
}

/**
 * Where "Fit" looks when the whole drawing does not fit at the readable zoom: the top of the
 * drawing (owners, subject, the first rows of subsidiaries), centred horizontally; the rest is
 * reached by scrolling or dragging.
 */
export function fitView(bounds: { minX: number; maxX: number; minY: number; maxY: number }, canvas: { width: number; height: number }, fitted: number): { x: number; y: number; scale: number } {
  const scale = fitScale(fitted);
  const cx = (bounds.minX + bounds.maxX) / 2;
  const cy = (bounds.minY + bounds.maxY) / 2;
  const halfH = canvas.height / 2 / scale;
  // the drawing's height fits: its centre; else its top edge (with a margin) at the top of the canvas
  const y = bounds.maxY - bounds.minY <= 2 * halfH ? cy : bounds.minY - 40 + halfH;
  return { x: cx, y, scale };
}

/** The nodes whose name contains the query, case and accents ignored, in reading order. */
export function findNodes(nodes: { id: string; label: string }[], query: string): string[] {
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en');
  const q = fold(query.trim());
  if (!q) return [];
  return nodes.filter((n) => fold(n.label).includes(q)).map((n) => n.id);
}

/**
 * Keyboard order: top to bottom, left to right, as the drawing reads. `step` +1 is the next node,
 * -1 the previous; from nothing selected the first node (or the last going back).
 */
export function stepNode(positions: Record<string, { x: number; y: number }>, current: string | null, step: 1 | -1): string | null {
  const order = Object.entries(positions).sort(([, a], [, b]) => a.y - b.y || a.x - b.x).map(([id]) => id);
  if (order.length === 0) return null;
  const i = current === null ? -1 : order.indexOf(current);
  if (i < 0) return step === 1 ? order[0]! : order[order.length - 1]!;
  return order[(i + step + order.length) % order.length]!;
}
