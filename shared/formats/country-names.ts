// Country names with their ISO 3166-1 alpha-2 codes, for pickers (the policy editor's restricted
// countries): i18n-iso-countries' English names, the same list the policy validates codes against.
// Read from the locale file itself so the renderer's bundle works without registering locales.
import en from 'i18n-iso-countries/langs/en.json';

export interface CountryOption {
  code: string;
  /** The usual English name ("Iran", "United Kingdom"). */
  name: string;
  /** Other names it is known by ("Islamic Republic of Iran", "UK", "Great Britain"). */
  aliases: string[];
}

const names = (en as { countries: Record<string, string | string[]> }).countries;

/** The name investigators use where the list's first is the formal one ("Iran", not "Islamic Republic of Iran"). */
const SHORT: Record<string, string> = {
  CN: 'China', IR: 'Iran', RU: 'Russia', KR: 'South Korea', TW: 'Taiwan', TZ: 'Tanzania', MK: 'North Macedonia',
  PS: 'Palestine', US: 'United States', GM: 'Gambia', CZ: 'Czechia',
};

export const COUNTRY_OPTIONS: readonly CountryOption[] = Object.entries(names)
  .map(([code, n]) => {
    const all = Array.isArray(n) ? n : [n];
    const name = SHORT[code] ?? all[0]!;
    return { code, name, aliases: all.filter((a) => a !== name) };
  })
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));

const BY_CODE = new Map(COUNTRY_OPTIONS.map((c) => [c.code, c]));

/** "Iran (IR)"; a subdivision ("UA-43") keeps its code after the country's name. */
export function countryLabel(code: string): string {
  const c = BY_CODE.get(code.slice(0, 2).toUpperCase());
  if (!c) return code;
  return code.length > 2 ? `${c.name}, ${code.toUpperCase()}` : `${c.name} (${c.code})`;
}

/** Countries whose name, another name or code contains `query` (accents and case ignored). */
export function findCountries(query: string, limit = 12): CountryOption[] {
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const q = fold(query.trim());
  if (!q) return [];
  const exactCode = COUNTRY_OPTIONS.filter((c) => c.code.toLowerCase() === q);
  const byName = COUNTRY_OPTIONS.filter((c) => c.code.toLowerCase() !== q && [c.name, ...c.aliases].some((n) => fold(n).includes(q)));
  return [...exactCode, ...byName].slice(0, limit);
}
