import { describe, expect, it } from 'vitest';
import { rowWidth, wrapLevels } from '../../../renderer/src/graph/layout';

describe('wrapLevels', () => {
  it('keeps a small graph as it is, levels in order', () => {
    const m = wrapLevels([{ id: 'p', level: -1 }, { id: 's', level: 0 }, { id: 'a', level: 1 }, { id: 'b', level: 1 }]);
    expect([m.get('p'), m.get('s'), m.get('a'), m.get('b')]).toEqual([0, 1, 2, 2]);
  });

  it('wraps 85 subsidiaries into rows no wider than the row width, below the subject', () => {
    const nodes = [{ id: 'owner', level: -1 }, { id: 'subject', level: 0 }, ...Array.from({ length: 85 }, (_, i) => ({ id: `c${i}`, level: 1 }))];
    const m = wrapLevels(nodes);
    const w = rowWidth(85);
    expect(w).toBeLessThan(20);
    const rows = new Map<number, number>();
    for (let i = 0; i < 85; i++) rows.set(m.get(`c${i}`)!, (rows.get(m.get(`c${i}`)!) ?? 0) + 1);
    expect(Math.max(...rows.values())).toBeLessThanOrEqual(w);
    expect(rows.size).toBe(Math.ceil(85 / w));
    expect(Math.min(...rows.keys())).toBeGreaterThan(m.get('subject')!);
    expect(m.get('owner')!).toBeLessThan(m.get('subject')!);
  });
});
