// Levels wrapped into rows: a holding company with 80 subsidiaries drawn on one hierarchical level
// is 80 boxes wide, and "Fit" shrinks it to unreadable dots. Each level longer than `perRow` is
// split into several consecutive levels (rows) so the drawing keeps a readable aspect. Pure.

export interface LevelNode { id: string; level: number }

/** How many boxes per row for a level of `count` nodes: about square, never fewer than `min`. */
export function rowWidth(count: number, min = 6): number {
  // boxes are ~220 px apart and rows ~170: about 0.8 boxes per row for each row of the square
  return Math.max(min, Math.ceil(Math.sqrt(count * 0.8)));
}

/**
 * New integer levels for vis-network's hierarchical layout: every level keeps its order, levels
 * longer than their row width become several rows, in the order the nodes are given.
 */
export function wrapLevels(nodes: LevelNode[], perRow: (count: number) => number = rowWidth): Map<string, number> {
  const byLevel = new Map<number, string[]>();
  for (const n of nodes) {
    const l = byLevel.get(n.level) ?? [];
    l.push(n.id);
    byLevel.set(n.level, l);
  }
  const out = new Map<string, number>();
  let next = 0;
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const ids = byLevel.get(level)!;
    const width = ids.length > perRow(ids.length) ? perRow(ids.length) : ids.length;
    ids.forEach((id, i) => out.set(id, next + Math.floor(i / width)));
    next += Math.ceil(ids.length / width);
  }
  return out;
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
