// compareVerdicts on hand-made verdicts: a source re-published under the same name with other
// bytes, a path that appears and one that disappears.
import { describe, expect, it } from 'vitest';
import { compareVerdicts } from '../../../electron/backend/recheck/index.js';
import type { VerdictJson } from '../../../electron/backend/report/index.js';

const share = (min: number, max = min) => ({ min, minInclusive: true, max, maxInclusive: true });
function verdict(v: 'restricted' | 'clear', paths: Array<[string, string, string]>, sources: Array<[string, string]>): VerdictJson {
  return {
    subject: { id: 1, name: 'Subject Ltd', identifiers: ['lei:X'] },
    policy: { name: 'p', sha256: 'a'.repeat(64) },
    asOf: '2026-01-01',
    verdict: v,
    methods: { control: { verdict: v, restrictedShare: share(60) }, lookThrough: { verdict: v, restrictedShare: share(60) } },
    paths: {
      items: paths.map(([origin, file, sha]) => ({
        origin: { id: 2, name: origin, why: 'CN' },
        lookThroughShare: share(60),
        steps: [{ ownerId: 2, ownerName: origin, ownedId: 1, ownedName: 'Subject Ltd', counted: '60%', links: [{ ownerId: 2, ownerName: origin, ownedId: 1, ownedName: 'Subject Ltd', kind: 'shares', stated: '60%', source: { fileName: file, sha256: sha, recordRef: 'line 1' } }] }],
      })),
      truncated: false,
      limit: 25,
    },
    gaps: [],
    findings: [],
    reasons: [],
  } as unknown as VerdictJson;
}

describe('compareVerdicts', () => {
  it('names sources whose SHA-256 differs, and paths added or removed', () => {
    const then = verdict('restricted', [['Old Holder', 'rr.xml', '1'.repeat(64)]], []);
    const now = verdict('restricted', [['New Holder', 'rr.xml', '2'.repeat(64)]], []);
    const d = compareVerdicts(then, now);
    expect(d.verdictChanged).toBe(false);
    expect(d.sources.changed).toEqual([{ fileName: 'rr.xml', thenSha256: '1'.repeat(64), nowSha256: '2'.repeat(64) }]);
    expect(d.sources.added).toEqual([]);
    expect(d.paths.added.map((p) => p.key)).toEqual(['New Holder → Subject Ltd']);
    expect(d.paths.removed.map((p) => p.key)).toEqual(['Old Holder → Subject Ltd']);
    expect(d.changes).toEqual([
      'New evidence path: New Holder → Subject Ltd (look-through 60%).',
      'Evidence path no longer found: Old Holder → Subject Ltd (look-through 60% in the report).',
      `rr.xml has a different SHA-256: ${'1'.repeat(64)} in the report, ${'2'.repeat(64)} now.`,
    ]);
    expect(compareVerdicts(then, then).changes).toEqual([]);
  });
});
