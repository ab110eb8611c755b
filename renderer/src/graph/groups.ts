// Country groups: a node with more subsidiaries (or owners) than a readable width shows them as
// one cluster node per country ("33 subsidiaries in United States (US)"), expanded on demand and
// collapsed again. Pure: the graph view gives it the loaded nodes and links and draws the result.

export interface GroupNode { id: string; level: number; countries: string[]; label: string; kind: string }
export interface GroupLink { from: string; to: string }

export interface GroupOptions {
  /** The subject's node: everything shown hangs from it. */
  rootId: string;
  /** A family (the subsidiaries of one node, or its owners) longer than this is grouped by country. */
  readable: number;
  /** Countries with fewer members than this stay as plain nodes (a cluster of one says nothing). */
  minGroup: number;
  /** Group keys the investigator expanded. */
  expanded: ReadonlySet<string>;
  /** Nodes never hidden in a cluster (the verdict's origins and paths, a node found by search). */
  pinned: ReadonlySet<string>;
}

export interface CountryGroup {
  /** `parent|direction|country`, stable across redraws (what `expanded` holds). */
  key: string;
  parent: string;
  direction: 'up' | 'down';
  /** The country codes the members share ('' when none is recorded), e.g. "US" or "HK/KY". */
  country: string;
  /** Members, in the order given; pinned members are not hidden even when collapsed. */
  members: string[];
  collapsed: boolean;
  /** Level of the members (where the cluster node is drawn). */
  level: number;
}

export interface Grouping {
  groups: CountryGroup[];
  /** Nodes not drawn: members of collapsed groups, and what is only reachable through them. */
  hidden: Set<string>;
  /** The group a node belongs to (collapsed or expanded). */
  groupOf: Map<string, string>;
}

/** The country key of a node: its distinct two-letter country codes (subdivisions folded), sorted. */
export function countryKey(countries: string[]): string {
  return [...new Set(countries.map((c) => c.slice(0, 2).toUpperCase()))].sort().join('/');
}

export const groupNodeId = (key: string) => `g:${key}`;
export const groupHeadId = (key: string) => `h:${key}`;

export function groupByCountry(nodes: GroupNode[], links: GroupLink[], o: GroupOptions): Grouping {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // each node belongs to one family: the first node, one level nearer the subject, linked to it
  const familyOf = new Map<string, { parent: string; direction: 'up' | 'down' }>();
  const families = new Map<string, string[]>();
  for (const e of links) {
    const owner = byId.get(e.from), owned = byId.get(e.to);
    if (!owner || !owned) continue;
    let member: GroupNode | null = null, parent: GroupNode | null = null, direction: 'up' | 'down' = 'down';
    if (owned.level > 0 && owned.level === owner.level + 1) [member, parent, direction] = [owned, owner, 'down'];
    else if (owner.level < 0 && owner.level === owned.level - 1) [member, parent, direction] = [owner, owned, 'up'];
    // clusters ("and 40 more") and the subject itself never join a group
    if (!member || !parent || member.kind === 'cluster' || member.id === o.rootId || familyOf.has(member.id)) continue;
    familyOf.set(member.id, { parent: parent.id, direction });
    const fk = `${parent.id}|${direction}`;
    (families.get(fk) ?? families.set(fk, []).get(fk)!).push(member.id);
  }
  const groups: CountryGroup[] = [];
  const groupOf = new Map<string, string>();
  const hidden = new Set<string>();
  for (const [fk, members] of families) {
    if (members.length <= o.readable) continue;
    const [parent, direction] = fk.split('|') as [string, 'up' | 'down'];
    const byCountry = new Map<string, string[]>();
    for (const m of members) {
      const c = countryKey(byId.get(m)!.countries);
      (byCountry.get(c) ?? byCountry.set(c, []).get(c)!).push(m);
    }
    // largest countries first: the cluster a reader looks for first is the big one
    const order = [...byCountry.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    for (const [country, ms] of order) {
      if (ms.length < o.minGroup) continue;
      const key = `${fk}|${country}`;
      const collapsed = !o.expanded.has(key);
      groups.push({ key, parent, direction, country, members: ms, collapsed, level: byId.get(ms[0]!)!.level });
      for (const m of ms) {
        groupOf.set(m, key);
        if (collapsed && !o.pinned.has(m)) hidden.add(m);
      }
    }
  }
  // what hangs only from hidden nodes is hidden with them: walk from the subject through the rest
  const adj = new Map<string, string[]>();
  for (const e of links) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    (adj.get(e.from) ?? adj.set(e.from, []).get(e.from)!).push(e.to);
    (adj.get(e.to) ?? adj.set(e.to, []).get(e.to)!).push(e.from);
  }
  const seen = new Set<string>([o.rootId]);
  const queue = [o.rootId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const next of adj.get(id) ?? []) {
      if (seen.has(next) || hidden.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  for (const n of nodes) if (!seen.has(n.id)) hidden.add(n.id);
  return { groups, hidden, groupOf };
}

/** "33 subsidiaries in United States (US)", with the count of members shown anyway (pinned). */
export function groupLabel(g: CountryGroup, countryName: (code: string) => string, hiddenCount: number): string {
  const what = g.direction === 'down' ? (hiddenCount === 1 ? 'subsidiary' : 'subsidiaries') : hiddenCount === 1 ? 'owner' : 'owners';
  const where = g.country ? `in ${g.country.split('/').map(countryName).join(' / ')}` : 'with no country recorded';
  return `${hiddenCount} ${what}\n${where}\n(expand)`;
}

/**
 * Is one of these country codes in the policy's restricted countries? A subdivision ("UA-43")
 * counts when it or its country is listed, as the engine reads it. This marks a node before any
 * verdict: the verdict alone says whether its location makes it an origin (locate-by, states).
 */
export function inRestrictedCountry(countries: string[], restricted: ReadonlySet<string>): boolean {
  return countries.some((c) => {
    const code = c.toUpperCase();
    const dash = code.indexOf('-');
    return restricted.has(code) || (dash > 0 && restricted.has(code.slice(0, dash)));
  });
}
