// The name search index: the exact names (FTS5 trigram, diacritics removed; migration 001/004)
// and a transliterated Latin key beside them (migration 011), both brought up to date with the
// names written since the last call. Runs inside the caller's transaction.
import anyAscii from 'any-ascii';
import type { Db } from './db';

/** Lower case, accents removed, spaces folded: how both indexes compare text. */
export function foldName(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The Latin search key of a name in any script ("ООО Газпром" → "ooo gazprom", "北京" →
 * "beijing"), by any-ascii's transliteration tables; null when the name is Latin already (its
 * folded form is the key, and name_search has it).
 */
export function latinKey(name: string): string | null {
  // most names of most registers are ASCII: no normalization needed to know they have no key
  if (ASCII.test(name)) return null;
  const folded = foldName(name);
  if (!/[^\x00-\x7f]/.test(folded)) return null;
  const key = words(anyAscii(folded));
  return key || null;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Letters and digits only, single spaces: «Волга» and "Volga" compare equal once transliterated. */
const words = (ascii: string) => ascii.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** The text a query is compared in: its Latin key, or its folded words when it is Latin already. */
export function queryKey(text: string): string {
  return latinKey(text) ?? words(foldName(text));
}

export function indexPendingNames(db: Db): number {
  indexLatinKeys(
    db,
    db.prepare('SELECT n.id, n.name FROM name_search_pending p JOIN entity_names n ON n.id = p.name_id').iterate() as Iterable<{ id: number; name: string }>,
  );
  const added = db
    .prepare(
      `INSERT INTO name_search (rowid, name)
       SELECT n.id, n.name FROM name_search_pending p JOIN entity_names n ON n.id = p.name_id`,
    )
    .run().changes;
  db.prepare('DELETE FROM name_search_pending').run();
  return added;
}

function indexLatinKeys(db: Db, names: Iterable<{ id: number; name: string }>): void {
  const rows: [number, string][] = [];
  for (const r of names) {
    const key = latinKey(r.name);
    if (key) rows.push([r.id, key]);
  }
  const ins = db.prepare('INSERT OR REPLACE INTO name_search_latin (rowid, key) VALUES (?, ?)');
  for (const [id, key] of rows) ins.run(id, key);
}

/** Upgrade step of migration 011: the Latin keys of the names a database already holds. */
export function indexAllLatinKeys(db: Db): void {
  indexLatinKeys(db, db.prepare('SELECT id, name FROM entity_names').iterate() as Iterable<{ id: number; name: string }>);
}

/** The trigrams of a folded text, as FTS5 trigram terms. */
export function trigrams(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return [...out];
}

/** How much of the query's trigrams the name has (0..1): a typo costs one to three trigrams. */
export function similarity(queryTrigrams: string[], name: string): number {
  if (queryTrigrams.length === 0) return 0;
  const have = new Set(trigrams(queryKey(name)));
  return queryTrigrams.filter((t) => have.has(t)).length / queryTrigrams.length;
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface NameMatch {
  entityId: number;
  name: string;
  how: 'name' | 'transliteration' | 'similar';
  score: number;
}

/** Names found by their text: exact substring, then through the Latin key, then similar spellings. */
export function searchNames(db: Db, query: string, want: number, options: { isSimilarWanted?: boolean } = {}): NameMatch[] {
  const folded = foldName(query);
  const key = queryKey(query);
  const out: NameMatch[] = [];
  const seen = new Set<number>();
  const add = (rows: { entity_id: number; name: string }[], how: NameMatch['how'], score = 1) => {
    for (const r of rows) {
      if (seen.has(r.entity_id)) continue;
      seen.add(r.entity_id);
      out.push({ entityId: r.entity_id, name: r.name, how, score });
    }
  };
  const exact = db.prepare(
    `SELECT n.entity_id, n.name FROM name_search s JOIN entity_names n ON n.id = s.rowid
     WHERE name_search MATCH ? ORDER BY (n.type = 'legal') DESC, length(n.name) LIMIT ?`,
  );
  const latin = db.prepare(
    `SELECT n.entity_id, n.name FROM name_search_latin s JOIN entity_names n ON n.id = s.rowid
     WHERE name_search_latin MATCH ? ORDER BY (n.type = 'legal') DESC, length(n.name) LIMIT ?`,
  );
  if ([...folded].length >= 3) {
    add(exact.all(quote(query.trim()), want * 4) as { entity_id: number; name: string }[], 'name');
  } else if (folded) {
    // trigram needs three characters; short queries (two CJK characters are a name) scan names
    const rows = db
      .prepare(`SELECT entity_id, name FROM entity_names WHERE name LIKE ? ESCAPE '\\' ORDER BY length(name) LIMIT ?`)
      .all(`%${query.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`, want * 4) as { entity_id: number; name: string }[];
    add(rows, 'name');
  }
  if (out.length < want && [...key].length >= 3) {
    // a query in another script finds Latin names ("Газпром" → "gazprom"), and a Latin query
    // finds names in other scripts through their key
    if (latinKey(query)) add(exact.all(quote(key), want * 4) as { entity_id: number; name: string }[], 'transliteration');
    add(latin.all(quote(key), want * 4) as { entity_id: number; name: string }[], 'transliteration');
  }
  const grams = trigrams(key);
  if ((options.isSimilarWanted ?? true) && out.length < want && grams.length >= 3) {
    // similar spellings ("Pearl Harbor" / "Pearl Harbour"): names sharing most of the query's
    // trigrams, any of them fetched by the index and then scored here
    const any = grams.map(quote).join(' OR ');
    const ranked = (table: string) =>
      db.prepare(
        `SELECT n.entity_id, n.name FROM ${table} s JOIN entity_names n ON n.id = s.rowid WHERE ${table} MATCH ? ORDER BY s.rank LIMIT 400`,
      );
    const pool = [
      ...(ranked('name_search').all(any) as { entity_id: number; name: string }[]),
      ...(ranked('name_search_latin').all(any) as { entity_id: number; name: string }[]),
    ]
      .map((r) => ({ ...r, score: similarity(grams, r.name) }))
      .filter((r) => r.score >= SIMILAR_MIN)
      .sort((a, b) => b.score - a.score || a.name.length - b.name.length);
    for (const r of pool) add([r], 'similar', Math.round(r.score * 100) / 100);
  }
  return out;
}

/** The share of the query's trigrams a similar name must have. */
export const SIMILAR_MIN = 0.6;
