// Small DSL for engine tests: entities by name, links by "owner -> owned".
import type { CountryRole, EntityKind, LinkKind, ShareInterval } from '../../../shared/domain/model';
import { buildGraph, type EntityInput, type LinkInput, type MarkerInput, type OwnershipGraph } from '../../../shared/domain/engine/graph';
import { resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import { explainSubject, type VerdictReport } from '../../../shared/domain/engine/verdict';

export const TODAY = '2025-06-30';

export function pct(p: number): number {
  return Math.round(p * 10_000);
}
export function exact(p: number): ShareInterval {
  return { lo: pct(p), loOpen: false, hi: pct(p), hiOpen: false };
}
/** "(25,50]" style */
export function band(text: string): ShareInterval {
  const m = /^([[(])\s*([\d.]+)\s*,\s*([\d.]+)\s*([\])])$/.exec(text);
  if (!m) throw new Error(`bad band ${text}`);
  return { lo: pct(Number(m[2])), loOpen: m[1] === '(', hi: pct(Number(m[3])), hiOpen: m[4] === ')' };
}

export interface E {
  kind?: EntityKind;
  /** e.g. "hq:CN jur:US res:RU nat:GB la:CN-ZJ" */
  at?: string;
  topics?: string[];
  ids?: string[];
  state?: boolean;
  sole?: boolean;
  /** founded / dissolved */
  founded?: string;
  dissolved?: string;
}

const ROLE: Record<string, CountryRole> = { hq: 'headquarters', jur: 'jurisdiction', la: 'legal-address', res: 'residence', nat: 'nationality' };

export interface L {
  kind?: LinkKind;
  share?: ShareInterval | number | string | null;
  basis?: 'consolidation' | 'board' | 'influence' | 'other';
  summary?: boolean;
  start?: string;
  end?: string;
  status?: 'active' | 'inactive' | 'unknown';
  stated?: string;
  /** the data date of the link's source */
  dataDate?: string;
}

export class Net {
  entities: EntityInput[] = [];
  links: LinkInput[] = [];
  markers: MarkerInput[] = [];
  private ids = new Map<string, number>();
  private nextLink = 1;

  id(name: string): number {
    const v = this.ids.get(name);
    if (v === undefined) throw new Error(`no entity ${name}`);
    return v;
  }

  e(name: string, spec: E = {}): this {
    const id = this.entities.length + 100;
    this.ids.set(name, id);
    const countries = (spec.at ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => {
        const [r, c] = t.split(':');
        return { role: ROLE[r!]!, code: c! };
      });
    this.entities.push({
      id, name, kind: spec.kind ?? 'company', countries, topics: spec.topics ?? [], identifiers: spec.ids ?? [],
      isState: spec.state ?? false, soleProprietor: spec.sole ?? false, startDate: spec.founded ?? null, endDate: spec.dissolved ?? null,
    });
    return this;
  }

  l(owner: string, owned: string, spec: L | number | string = {}): this {
    const s: L = typeof spec === 'object' ? spec : { share: spec };
    let share: ShareInterval | null;
    if (s.share === undefined) share = s.kind === 'control' || s.kind === 'branch' ? null : null;
    else if (s.share === null) share = null;
    else if (typeof s.share === 'number') share = exact(s.share);
    else if (typeof s.share === 'string') share = band(s.share);
    else share = s.share;
    const id = this.nextLink++;
    this.links.push({
      id,
      ownerId: this.id(owner),
      ownedId: this.id(owned),
      kind: s.kind ?? 'shares',
      controlBasis: s.basis ?? null,
      share,
      stated: s.stated ?? (typeof s.share === 'number' ? `${s.share}%` : typeof s.share === 'string' ? s.share : ''),
      isSummary: s.summary ?? false,
      startDate: s.start ?? null,
      endDate: s.end ?? null,
      status: s.status ?? 'active',
      source: s.dataDate
        ? { sourceId: 3, fileName: 'dated.xml', sha256: 'ef'.repeat(32), recordRef: `record ${id}`, dataDate: s.dataDate }
        : { sourceId: 1, fileName: 'test.csv', sha256: 'ab'.repeat(32), recordRef: `line ${id}` },
    });
    return this;
  }

  m(subject: string, category: MarkerInput['category'], reason: string, share?: ShareInterval, scope: MarkerInput['scope'] = 'direct'): this {
    this.markers.push({
      id: this.markers.length + 1,
      subjectId: this.id(subject),
      category,
      scope,
      reason,
      share: share ?? null,
      status: 'active',
      source: { sourceId: 2, fileName: 'repex.csv', sha256: 'cd'.repeat(32), recordRef: `line ${this.markers.length + 1}` },
    });
    return this;
  }

  graph(): OwnershipGraph {
    return buildGraph({ entities: this.entities, links: this.links, markers: this.markers });
  }

  verdict(subject: string, policy: Record<string, unknown> = {}): VerdictReport {
    return explainSubject(this.graph(), resolvePolicy(policy, { today: TODAY }), this.id(subject));
  }
}

export function policy(p: Record<string, unknown> = {}): EffectivePolicy {
  return resolvePolicy(p, { today: TODAY });
}

/** Compact summary of a report for table-driven assertions. */
export function brief(r: VerdictReport): { v: string; c: string; l: string; cs: string; ls: string } {
  const f = (s: VerdictReport['methods']['control']['restrictedShare']) =>
    s.min === s.max && s.minInclusive && s.maxInclusive ? `${s.min}` : `${s.minInclusive ? '[' : '('}${s.min},${s.max}${s.maxInclusive ? ']' : ')'}`;
  return { v: r.verdict, c: r.methods.control.verdict, l: r.methods.lookThrough.verdict, cs: f(r.methods.control.restrictedShare), ls: f(r.methods.lookThrough.restrictedShare) };
}
