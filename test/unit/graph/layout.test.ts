import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNodes, fitScale, fitView, LEVEL_DY, MIN_SCALE, NODE_DX, ROW_DY, rowLayout, rowsFor, stepNode } from '../../../renderer/src/graph/layout';
import { countryKey, groupByCountry, groupLabel, inRestrictedCountry, type GroupNode } from '../../../renderer/src/graph/groups';

// the real-size group of test/fixtures/csv/realnames-group as the graph view holds it after a load
function fixtureGroup(): { nodes: GroupNode[]; links: { from: string; to: string }[] } {
  const dir = path.resolve(__dirname, '../../fixtures/csv/realnames-group');
  const rows = (f: string) => {
    const [head, ...lines] = readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
    // names hold commas in quotes ("Acoya Tigard, LLC"): a small CSV split is enough for these files
    const split = (l: string) => [...l.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]!);
    const cols = split(head!);
    return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [cols[i]!, v])));
  };
  const links = rows('links.csv').map((l) => ({ from: `e${l.owner_ref!.slice(4)}`, to: `e${l.owned_ref!.slice(4)}` }));
  const level = (id: string) => (id === 'RG-OWNER' ? -1 : id === 'RG-0' ? 0 : id.split('-').length === 3 ? 2 : 1);
  const nodes = rows('entities.csv').map((e) => ({
    id: `e${e.id}`, level: level(e.id!), label: e.name!, kind: 'company',
    countries: [...new Set([e.jurisdiction!, e.headquarters!, e.legal_address!].filter(Boolean))],
  }));
  return { nodes, links };
}

const opts = { rootId: 'eRG-0', readable: 12, minGroup: 3, expanded: new Set<string>(), pinned: new Set<string>() };

describe('country groups of a real-size group (realnames-group: 99 subsidiaries)', () => {
  const { nodes, links } = fixtureGroup();

  it('the fixture is the size the issue asks for', () => {
    expect(nodes.filter((n) => n.level === 1)).toHaveLength(99);
  });

  it('collapses the 99 subsidiaries into one cluster per country, small countries stay as nodes', () => {
    const g = groupByCountry(nodes, links, opts);
    const sizes = Object.fromEntries(g.groups.map((x) => [x.country, x.members.length]));
    expect(sizes).toEqual({ US: 33, FR: 14, BE: 12, IN: 11, GB: 9, DE: 7, NO: 5, IT: 3 });
    expect(g.groups.every((x) => x.collapsed && x.direction === 'down' && x.parent === 'eRG-0')).toBe(true);
    const shown = nodes.filter((n) => !g.hidden.has(n.id));
    // owner, subject and the countries of fewer than 3 are drawn (a Canadian company headquartered
    // in the US is its own key), the rest is in clusters
    const shownSubs = shown.filter((n) => n.level === 1).map((n) => countryKey(n.countries));
    expect(shownSubs.sort()).toEqual(['CA', 'CA/US', 'HK', 'HK/KY', 'SE']);
    expect(shown.map((n) => n.id)).toContain('eRG-OWNER');
    // the three second-level subsidiaries hang from a US subsidiary hidden in its cluster
    expect(g.hidden.has('eRG-1-1')).toBe(true);
  });

  it('expands one cluster, and collapses it again', () => {
    const us = groupByCountry(nodes, links, opts).groups.find((x) => x.country === 'US')!;
    const open = groupByCountry(nodes, links, { ...opts, expanded: new Set([us.key]) });
    expect(open.groups.find((x) => x.key === us.key)!.collapsed).toBe(false);
    for (const m of us.members) expect(open.hidden.has(m)).toBe(false);
    expect(open.hidden.has('eRG-1-1')).toBe(false);
    expect(open.groupOf.get(us.members[0]!)).toBe(us.key);
    // France stays collapsed
    expect(open.groups.find((x) => x.country === 'FR')!.collapsed).toBe(true);
    const closed = groupByCountry(nodes, links, { ...opts, expanded: new Set() });
    for (const m of us.members) expect(closed.hidden.has(m)).toBe(true);
  });

  it('keeps pinned nodes (a verdict origin, a path) out of a collapsed cluster and counts only the hidden', () => {
    const us = groupByCountry(nodes, links, opts).groups.find((x) => x.country === 'US')!;
    const g = groupByCountry(nodes, links, { ...opts, pinned: new Set([us.members[5]!]) });
    expect(g.hidden.has(us.members[5]!)).toBe(false);
    const grp = g.groups.find((x) => x.key === us.key)!;
    const hidden = grp.members.filter((m) => g.hidden.has(m)).length;
    expect(hidden).toBe(32);
    expect(groupLabel(grp, (c) => (c === 'US' ? 'United States (US)' : c), hidden)).toBe('32 subsidiaries\nin United States (US)\n(expand)');
  });

  it('does not group a family of readable size', () => {
    const small = nodes.filter((n) => n.level <= 0 || ['eRG-1', 'eRG-2', 'eRG-3'].includes(n.id));
    expect(groupByCountry(small, links, opts).groups).toEqual([]);
    expect(groupByCountry(small, links, opts).hidden.size).toBe(0);
  });

  it('groups owners above the subject the same way', () => {
    const owners: GroupNode[] = Array.from({ length: 20 }, (_, i) => ({ id: `o${i}`, level: -1, label: `Owner ${i}`, kind: 'person', countries: [i < 15 ? 'RU' : 'GB'] }));
    const g = groupByCountry([{ id: 's', level: 0, label: 'S', kind: 'company', countries: [] }, ...owners], owners.map((o) => ({ from: o.id, to: 's' })), { ...opts, rootId: 's' });
    expect(g.groups.map((x) => [x.direction, x.country, x.members.length])).toEqual([['up', 'GB', 5], ['up', 'RU', 15]].sort((a, b) => Number(b[2]) - Number(a[2])));
    expect(groupLabel(g.groups[0]!, (c) => c, 15)).toBe('15 owners\nin RU\n(expand)');
  });
});

describe('restricted countries before any verdict', () => {
  it('marks a code or a subdivision of a listed country, not others', () => {
    const r = new Set(['CN', 'HK', 'RU']);
    expect(inRestrictedCountry(['HK'], r)).toBe(true);
    expect(inRestrictedCountry(['KY', 'HK'], r)).toBe(true);
    expect(inRestrictedCountry(['RU-MOW'], r)).toBe(true);
    expect(inRestrictedCountry(['hk'], r)).toBe(true);
    expect(inRestrictedCountry(['US-DE', 'US'], r)).toBe(false);
    expect(inRestrictedCountry([], r)).toBe(false);
    expect(inRestrictedCountry(['UA-43'], new Set(['UA-43']))).toBe(true);
    expect(inRestrictedCountry(['UA-46'], new Set(['UA-43']))).toBe(false);
  });
});

describe('row layout', () => {
  it('keeps a small graph on one row per level, owners above, subsidiaries below', () => {
    const m = rowLayout([{ id: 'p', level: -1 }, { id: 's', level: 0 }, { id: 'a', level: 1 }, { id: 'b', level: 1 }], [{ from: 'p', to: 's' }, { from: 's', to: 'a' }, { from: 's', to: 'b' }], 5);
    expect(m.get('s')).toEqual({ x: 0, y: 0 });
    expect(m.get('p')).toEqual({ x: 0, y: -LEVEL_DY });
    expect(m.get('a')).toEqual({ x: -NODE_DX / 2, y: LEVEL_DY });
    expect(m.get('b')).toEqual({ x: NODE_DX / 2, y: LEVEL_DY });
  });

  it('wraps 99 subsidiaries into rows no wider than perRow, none overlapping, below the subject', () => {
    const { nodes, links } = fixtureGroup();
    const m = rowLayout(nodes, links, 5);
    const subs = nodes.filter((n) => n.level === 1).map((n) => m.get(n.id)!);
    const rows = new Map<number, number[]>();
    for (const p of subs) rows.set(p.y, [...(rows.get(p.y) ?? []), p.x]);
    expect(rows.size).toBe(20);
    for (const xs of rows.values()) {
      expect(xs.length).toBeLessThanOrEqual(5);
      const sorted = [...xs].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(NODE_DX);
    }
    const ys = [...rows.keys()].sort((a, b) => a - b);
    expect(ys[0]).toBe(LEVEL_DY);
    expect(ys[1]! - ys[0]!).toBe(ROW_DY);
    // the next level starts below the last row of the one above it
    expect(m.get('eRG-1-1')!.y).toBe(ys[ys.length - 1]! + LEVEL_DY);
    expect(m.get('eRG-OWNER')!.y).toBeLessThan(0);
  });

  it('pushes rows apart by the measured heights of their boxes, so no box meets the next row', () => {
    const nodes = [{ id: 'o', level: -1 }, { id: 's', level: 0 }, ...['a', 'b', 'c', 'd'].map((id) => ({ id, level: 1 }))];
    const links = [{ from: 'o', to: 's' }, ...['a', 'b', 'c', 'd'].map((id) => ({ from: 's', to: id }))];
    const heights = new Map([['o', 140], ['s', 40], ['a', 120], ['b', 30], ['c', 30], ['d', 110]]);
    const m = rowLayout(nodes, links, 2, heights);
    const box = (id: string) => ({ top: m.get(id)!.y - heights.get(id)! / 2, bottom: m.get(id)!.y + heights.get(id)! / 2 });
    // rows: [a b], [c d]; a tall first row pushes the second down by more than ROW_DY
    expect(box('c').top - box('a').bottom).toBeGreaterThanOrEqual(22);
    expect(m.get('c')!.y - m.get('a')!.y).toBeGreaterThan(ROW_DY);
    expect(box('a').top - box('s').bottom).toBeGreaterThanOrEqual(70);
    expect(box('s').top - box('o').bottom).toBeGreaterThanOrEqual(70);
    // without heights, the fixed pitches
    const plain = rowLayout(nodes, links, 2);
    expect(plain.get('c')!.y - plain.get('a')!.y).toBe(ROW_DY);
  });

  it('keeps a family together under the order of its parents', () => {
    // level 1 is b then a: on level 2, b's child comes first, then a's two, whatever the given order
    const nodes = [{ id: 's', level: 0 }, { id: 'b', level: 1 }, { id: 'a', level: 1 }, { id: 'a1', level: 2 }, { id: 'b1', level: 2 }, { id: 'a2', level: 2 }];
    const links = [{ from: 's', to: 'b' }, { from: 's', to: 'a' }, { from: 'a', to: 'a1' }, { from: 'b', to: 'b1' }, { from: 'a', to: 'a2' }];
    const m = rowLayout(nodes, links, 5);
    const order = ['a1', 'b1', 'a2'].sort((x, y) => m.get(x)!.x - m.get(y)!.x);
    expect(order).toEqual(['b1', 'a1', 'a2']);
  });

  it('says how many boxes a canvas shows side by side at the readable zoom', () => {
    expect(rowsFor(980)).toBe(Math.floor(980 / (MIN_SCALE * NODE_DX)));
    expect(rowsFor(100)).toBe(3);
  });
});

describe('Fit never zooms out below the readable minimum', () => {
  it('keeps a fitted zoom that is readable, raises one that is not', () => {
    expect(fitScale(0.9)).toBe(0.9);
    expect(fitScale(0.2)).toBe(MIN_SCALE);
    expect(fitScale(3)).toBe(1.2);
  });
  it('centres a drawing that fits; shows the top of one that does not', () => {
    expect(fitView({ minX: -100, maxX: 100, minY: -50, maxY: 50 }, { width: 800, height: 600 }, 1)).toEqual({ x: 0, y: 0, scale: 1 });
    const tall = fitView({ minX: -500, maxX: 500, minY: -200, maxY: 3000 }, { width: 800, height: 600 }, 0.15);
    expect(tall.scale).toBe(MIN_SCALE);
    // the top edge of the drawing sits 40 units below the top of the canvas
    expect(tall.y - 600 / 2 / MIN_SCALE).toBeCloseTo(-240);
  });
});

describe('graph search and keyboard order', () => {
  it('finds names ignoring case and accents', () => {
    const nodes = [{ id: 'a', label: 'Société Générale' }, { id: 'b', label: 'Alpha Ltd' }, { id: 'c', label: 'SOCIETE X' }];
    expect(findNodes(nodes, 'societe')).toEqual(['a', 'c']);
    expect(findNodes(nodes, '  ')).toEqual([]);
  });
  it('steps top to bottom, left to right, wrapping round', () => {
    const pos = { s: { x: 0, y: 0 }, b: { x: 100, y: 170 }, a: { x: -100, y: 170 } };
    expect(stepNode(pos, null, 1)).toBe('s');
    expect(stepNode(pos, 's', 1)).toBe('a');
    expect(stepNode(pos, 'a', 1)).toBe('b');
    expect(stepNode(pos, 'b', 1)).toBe('s');
    expect(stepNode(pos, 's', -1)).toBe('b');
  });
});
