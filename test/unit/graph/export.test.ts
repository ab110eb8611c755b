import { describe, expect, it } from 'vitest';
import { buildSvg, labelBox, placeLabel, type Box } from '../../../renderer/src/graph/export';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('graph export', () => {
  it('keeps a label in the middle of a free line', () => {
    expect(placeLabel('51%', 0, 0, 0, 200, [])).toEqual({ x: 0, y: 100 });
  });

  it('moves a label off a node that covers the middle of its line', () => {
    // the "51% exports as 1%" case: a third box sits across the middle of the link
    const node: Box = { x: -40, y: 80, w: 80, h: 40 };
    const p = placeLabel('51%', 0, 0, 0, 200, [node]);
    expect(overlaps(labelBox('51%', p.x, p.y), node)).toBe(false);
  });

  it('writes header, legend and every label after the nodes', () => {
    const svg = buildSvg(
      [
        { id: 'a', box: { x: 0, y: 0, w: 100, h: 30 }, lines: ['Parent & Co'], fill: '#fff', stroke: '#000', strokeWidth: 1, fontColor: '#000' },
        { id: 'b', box: { x: 0, y: 200, w: 100, h: 30 }, lines: ['Child'], fill: '#fff', stroke: '#000', strokeWidth: 1, fontColor: '#000' },
        { id: 'c', box: { x: -20, y: 100, w: 140, h: 30 }, lines: ['Sits on the line'], fill: '#fff', stroke: '#000', strokeWidth: 1, fontColor: '#000' },
      ],
      [{ from: 'a', to: 'b', label: 'directly consolidated by (accounting consolidation, 51.5%)', color: '#64748b', width: 1, dashed: false }],
      { subject: 'Child (#2)', policy: 'ofac-50', date: '2026-01-31' },
      [{ label: 'subject', fill: '#1d4ed8', stroke: '#1e3a8a' }],
      'Inter',
    );
    expect(svg).toContain('Ownership graph: Child (#2)');
    expect(svg).toContain('Policy: ofac-50');
    expect(svg).toContain('Date: 2026-01-31');
    expect(svg).toContain('id="legend"');
    expect(svg).toContain('Parent &amp; Co');
    expect(svg.indexOf('directly consolidated by')).toBeGreaterThan(svg.lastIndexOf('class="node"'));
  });

  it('draws an asserted link with its own dash pattern, a summary link with the usual dashes', () => {
    const box = (id: string, y: number) => ({ id, box: { x: 0, y, w: 100, h: 30 }, lines: [id], fill: '#fff', stroke: '#000', strokeWidth: 1, fontColor: '#000' });
    const svg = buildSvg(
      [box('a', 0), box('b', 200), box('c', 400)],
      [
        { from: 'a', to: 'b', label: '60% (asserted)', color: '#7c3aed', width: 2.4, dashed: [2, 5] },
        { from: 'b', to: 'c', label: 'ultimately', color: '#a5b4fc', width: 1, dashed: true },
      ],
      { subject: 'c', policy: 'p', date: '2026-01-31' },
      [{ label: 'asserted by investigator (dotted)', fill: '#7c3aed', stroke: '#7c3aed' }],
      'Inter',
    );
    const lines = svg.split('\n').filter((l) => l.startsWith('<line'));
    expect(lines[0]).toContain('stroke-dasharray="2 5"');
    expect(lines[0]).toContain('stroke="#7c3aed"');
    expect(lines[1]).toContain('stroke-dasharray="5 4"');
    expect(svg).toContain('asserted by investigator (dotted)');
  });
});
