// Which gaps of a verdict an investigator's fact can settle, and the share the "Add the missing
// fact" form proposes for one. Pure (no DOM, no transport): unit-tested.
import type { Gap } from '../../shared/api/types';
import { shareText } from '../../shared/domain/assertions';

/** The gaps a fact can settle (a missing list is imported, not asserted). */
export function canAssert(g: Gap): boolean {
  return g.kind === 'undisclosed-owner' || g.kind === 'share-unknown' || g.kind === 'link-may-have-ended' || g.kind === 'person-location';
}

/**
 * The share to pre-fill: for an undisclosed part, the whole part (the usual finding: "the 40%
 * withheld is held by X"; an open upper end stays an interval), for a share known only as an
 * interval, that interval (the document narrows it).
 */
export function prefillShare(g: Gap): string {
  const s = g.share;
  if (!s) return '';
  if (g.kind === 'undisclosed-owner') return s.hiOpen ? shareText({ lo: 0, loOpen: true, hi: s.hi, hiOpen: true }) : shareText({ lo: s.hi, loOpen: false, hi: s.hi, hiOpen: false });
  return shareText(s);
}
