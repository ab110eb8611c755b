// One reading of the verdict JSON for the page layout, whichever of its two shapes arrives:
// the engine's VerdictReport (shared/domain/engine: numeric ids, `paths.items[].steps[].links[]`,
// origins as the restricted entities, `ultimateParents.{computed,reported}`), or the flat shape
// (`paths[].links[]`, `entities[]` with countries and restricted flags).
import { relationshipWords } from '../../../shared/domain/engine/relationship.js';
import { formatRange, formatStated } from './format.js';
import type { EntityInfo, ShareRange, VerdictJson } from './types.js';

export interface LinkView {
  ownerId: string;
  ownerName: string;
  ownedId: string;
  ownedName: string;
  kind: string;
  /** the relationship in words ("directly consolidated by (accounting consolidation, 51.5%)") */
  relationship: string;
  stated: string;
  source: { fileName: string; sha256: string; recordRef: string | null } | null;
}

export interface EdgeView {
  ownerId: string;
  ownerName: string;
  ownedId: string;
  ownedName: string;
  /** Label on the diagram: the share as counted (engine) or as stated. */
  label: string;
}

export interface PathView {
  originId: string | null;
  originName: string | null;
  originWhy: string | null;
  share: string;
  /** A path from a restricted origin: drawn and listed in red. */
  matters: boolean;
  countsInControl: boolean | null;
  edges: EdgeView[];
  links: LinkView[];
}

export interface EntityView {
  id: string;
  name: string | null;
  country: string | null;
  isRestricted: boolean;
  note: string | null;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const isObj = (v: unknown): v is Loose => !!v && typeof v === 'object' && !Array.isArray(v);

function isRange(v: unknown): v is ShareRange {
  return isObj(v) && typeof v.min === 'number' && typeof v.max === 'number';
}

function linkView(l: Loose): LinkView {
  const src = isObj(l.source) ? l.source : null;
  // The engine's `share` is the interval read; `stated` is the source's own words.
  const stated = l.stated !== undefined && l.stated !== null && l.stated !== '' ? formatStated(l.stated) : formatStated(l.share);
  return {
    ownerId: str(l.ownerId),
    ownerName: str(l.ownerName),
    ownedId: str(l.ownedId),
    ownedName: str(l.ownedName),
    kind: str(l.kind) || '—',
    relationship: relationshipWords({
      kind: str(l.kind),
      controlBasis: typeof l.controlBasis === 'string' ? l.controlBasis : null,
      share: typeof l.share === 'string' ? l.share : isRange(l.share) ? formatRange(l.share) : null,
      stated: typeof l.stated === 'string' ? l.stated : '',
      isSummary: l.isSummary === true,
    }),
    stated,
    source: src ? { fileName: str(src.fileName), sha256: str(src.sha256), recordRef: src.recordRef === undefined || src.recordRef === null ? null : str(src.recordRef) } : null,
  };
}

export function rawPaths(v: VerdictJson): Loose[] {
  const p = v.paths as unknown;
  if (Array.isArray(p)) return p.filter(isObj);
  if (isObj(p) && Array.isArray(p.items)) return p.items.filter(isObj);
  return [];
}

export function pathsTruncated(v: VerdictJson): { truncated: boolean; limit: number | null } {
  const p = v.paths as unknown;
  return isObj(p) ? { truncated: p.truncated === true, limit: typeof p.limit === 'number' ? p.limit : null } : { truncated: false, limit: null };
}

export function entityViews(v: VerdictJson): Map<string, EntityView> {
  const map = new Map<string, EntityView>();
  const add = (e: unknown, extra: Partial<EntityView> = {}) => {
    if (!isObj(e) || e.id === undefined || e.id === null) return;
    const id = str(e.id);
    const prior = map.get(id);
    const info = e as EntityInfo;
    map.set(id, {
      id,
      name: (typeof e.name === 'string' ? e.name : null) ?? prior?.name ?? null,
      country: (typeof info.country === 'string' ? info.country : null) ?? prior?.country ?? null,
      isRestricted: prior?.isRestricted === true || info.isRestricted === true || info.restricted === true || extra.isRestricted === true,
      note: extra.note ?? prior?.note ?? null,
    });
  };
  const up = v.ultimateParents as unknown;
  if (Array.isArray(up)) up.forEach((e) => add(e));
  else if (isObj(up)) for (const key of ['computed', 'reported']) if (Array.isArray(up[key])) (up[key] as unknown[]).forEach((e) => add(e));
  for (const e of v.entities ?? []) add(e);
  // Engine paths start at an origin: an entity restricted under the policy, with the reason.
  for (const p of rawPaths(v)) if (isObj(p.origin)) add(p.origin, { isRestricted: true, note: typeof p.origin.why === 'string' ? p.origin.why : null });
  return map;
}

export function pathViews(v: VerdictJson): PathView[] {
  const entities = entityViews(v);
  return rawPaths(v).map((p): PathView => {
    if (Array.isArray(p.steps)) {
      const steps = p.steps.filter(isObj);
      const origin = isObj(p.origin) ? p.origin : null;
      return {
        originId: origin ? str(origin.id) : null,
        originName: origin ? str(origin.name) : null,
        originWhy: origin && typeof origin.why === 'string' ? origin.why : null,
        share: isRange(p.lookThroughShare) ? formatRange(p.lookThroughShare) : '',
        matters: origin !== null,
        countsInControl: typeof p.countsInControl === 'boolean' ? p.countsInControl : null,
        edges: steps.map((s) => ({ ownerId: str(s.ownerId), ownerName: str(s.ownerName), ownedId: str(s.ownedId), ownedName: str(s.ownedName), label: str(s.counted) || '—' })),
        links: steps.flatMap((s) => (Array.isArray(s.links) ? s.links.filter(isObj).map(linkView) : [])),
      };
    }
    const links = (Array.isArray(p.links) ? p.links.filter(isObj) : []).map(linkView);
    const owned = new Set(links.map((l) => l.ownedId));
    const originLink = links.find((l) => !owned.has(l.ownerId)) ?? links[0];
    const flag = p.isRestricted ?? p.restricted ?? p.matters;
    const share = p.share;
    return {
      originId: originLink?.ownerId ?? null,
      originName: originLink?.ownerName ?? null,
      originWhy: null,
      share: typeof share === 'number' ? `${share}%` : typeof share === 'string' ? share : isRange(share) ? formatRange(share) : '',
      matters: typeof flag === 'boolean' ? flag : !!originLink && entities.get(originLink.ownerId)?.isRestricted === true,
      countsInControl: null,
      edges: links.map((l) => ({ ownerId: l.ownerId, ownerName: l.ownerName, ownedId: l.ownedId, ownedName: l.ownedName, label: l.stated })),
      links,
    };
  });
}
