// Writes a synthetic case database straight through SQL (no importer), for engine benchmarks:
// N entities, about N links, deep chains, wide groups, cycles, bands, control links, markers, plus
// two fixed subjects: the bottom of a 50-deep chain and a company with 10,000 owners.
import type { Db } from '../../electron/backend/store/db';

const RESTRICTED = ['CN', 'RU', 'HK', 'IR'];
const OTHER = ['GB', 'US', 'DE', 'FR', 'NL', 'LU', 'KY', 'SG', 'JP', 'CH', 'IE', 'BE'];

/** Deterministic PRNG (mulberry32) so runs are comparable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedGraph {
  entities: number;
  links: number;
  markers: number;
  deepChainSubject: number;
  wideSubject: number;
}

export function generateGraphDb(db: Db, entities: number, seed = 42): GeneratedGraph {
  const rand = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  let links = 0;
  let markers = 0;
  db.exec('BEGIN');
  const src = Number(
    db.prepare(`INSERT INTO sources (file_name, sha256, size, format, imported_at) VALUES ('generated', ?, 0, 'generated', ?)`)
      .run('0'.repeat(64), new Date().toISOString()).lastInsertRowid,
  );
  const insE = db.prepare(`INSERT INTO entities (id, kind, name, source_id, record_ref, record_key) VALUES (?, ?, ?, ?, ?, ?)`);
  const insC = db.prepare(`INSERT INTO entity_countries (entity_id, record_key, role, code, text, source_id, record_ref) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insI = db.prepare(`INSERT INTO identifiers (scheme, value, entity_id, source_id, record_ref) VALUES ('gen', ?, ?, ?, ?)`);
  const insL = db.prepare(
    `INSERT INTO links (key, owner_id, owned_id, kind, control_basis, share_lo, share_lo_open, share_hi, share_hi_open, stated, is_summary, status, source_id, record_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'active', ?, ?)`,
  );
  const insM = db.prepare(
    `INSERT INTO undisclosed (key, entity_id, category, scope, reason, status, source_id, record_ref) VALUES (?, ?, ?, 'direct', ?, 'active', ?, ?)`,
  );
  const total = entities + 1 + 10_000 + 51; // the wide subject, its owners, the chain
  for (let id = 1; id <= total; id++) {
    const isPerson = id <= entities && rand() < 0.05;
    const ref = `gen:${id}`;
    insE.run(id, isPerson ? 'person' : 'company', `${isPerson ? 'Person' : 'Company'} ${id}`, src, `row ${id}`, ref);
    insI.run(String(id), id, src, `row ${id}`);
    const country = rand() < 0.08 ? pick(RESTRICTED) : pick(OTHER);
    insC.run(id, ref, isPerson ? 'residence' : 'jurisdiction', country, country, src, `row ${id}`);
  }
  const addLink = (owner: number, owned: number) => {
    const r = rand();
    links++;
    if (r < 0.15) return insL.run(`gen|${links}`, owner, owned, 'control', 'consolidation', null, null, null, null, 'consolidated', src, `link ${links}`);
    if (r < 0.35) {
      const bands: [number, number][] = [[25, 50], [50, 75], [75, 100]];
      const [lo, hi] = pick(bands);
      return insL.run(`gen|${links}`, owner, owned, 'shares', null, lo * 10_000, 1, hi * 10_000, 0, `${lo}-to-${hi}`, src, `link ${links}`);
    }
    const pct = Math.floor(rand() * 100) + 1;
    return insL.run(`gen|${links}`, owner, owned, 'shares', null, pct * 10_000, 0, pct * 10_000, 0, `${pct}%`, src, `link ${links}`);
  };
  // Most entities get one owner among earlier ids (deep chains and wide groups), some two, some none.
  for (let id = 2; id <= entities; id++) {
    const r = rand();
    if (r < 0.04) continue;
    const near = rand() < 0.6;
    const owner = near ? Math.max(1, id - 1 - Math.floor(rand() * 8)) : 1 + Math.floor(rand() * (id - 1));
    addLink(owner, id);
    if (r > 0.93) addLink(1 + Math.floor(rand() * entities), id); // a second owner, sometimes later: cycles
    if (r > 0.9 && r <= 0.92) {
      markers++;
      insM.run(`gen-marker|${markers}`, id, 'withheld', 'NON_PUBLIC', src, `marker ${markers}`);
    }
  }
  // A company with 10,000 owners.
  const wideSubject = entities + 1;
  for (let k = 1; k <= 10_000; k++) {
    links++;
    insL.run(`gen|${links}`, wideSubject + k, wideSubject, 'shares', null, 100, 0, 100, 0, '0.01%', src, `link ${links}`);
  }
  // A 50-deep chain of 60% holdings above a subject.
  const chainBase = wideSubject + 10_001;
  for (let k = 0; k < 50; k++) {
    links++;
    insL.run(`gen|${links}`, chainBase + k + 1, chainBase + k, 'shares', null, 600_000, 0, 600_000, 0, '60%', src, `link ${links}`);
  }
  db.exec('COMMIT');
  return { entities: total, links, markers, deepChainSubject: chainBase, wideSubject };
}
