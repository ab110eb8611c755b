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

describe('graph search and keyboard order', () => {
  it('finds names ignoring case and accents', async () => {
    const { findNodes } = await import('../../../renderer/src/graph/layout');
    const nodes = [{ id: 'a', label: 'Société Générale' }, { id: 'b', label: 'Alpha Ltd' }, { id: 'c', label: 'SOCIETE X' }];
    expect(findNodes(nodes, 'societe')).toEqual(['a', 'c']);
    expect(findNodes(nodes, '  ')).toEqual([]);
  });
  it('steps top to bottom, left to right, wrapping round', async () => {
    const { stepNode } = await import('../../../renderer/src/graph/layout');
    const pos = { s: { x: 0, y: 0 }, b: { x: 100, y: 170 }, a: { x: -100, y: 170 } };
    expect(stepNode(pos, null, 1)).toBe('s');
    expect(stepNode(pos, 's', 1)).toBe('a');
    expect(stepNode(pos, 'a', 1)).toBe('b');
    expect(stepNode(pos, 'b', 1)).toBe('s');
    expect(stepNode(pos, 's', -1)).toBe('b');
  });
});
