// Free-text countries, demonyms and codes → ISO 3166-1 alpha-2. The maintained list of country
// names in every language comes from i18n-iso-countries; the table below adds what it lacks
// (demonyms such as "Chinese", UK constituent countries, register spellings such as
// "Korea, Democratic People's Republic of"). The original text is always kept by the caller
// (CountryFact.text); what cannot be normalized gives code null and must be reported.
import countries from 'i18n-iso-countries';
import type { CountryRole } from '../domain/model';
import type { CountryFact } from './facts';

/** Lower-case, accent-free, `&` → `and`, punctuation → space, single spaces. */
export function countryKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[’'`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * What i18n-iso-countries does not know: demonyms, UK nations, common register spellings.
 * Keys are `countryKey` forms. Kept deliberately small and reviewable.
 */
export const COUNTRY_TABLE: Record<string, string> = {
  // United Kingdom and its nations
  'england': 'GB', 'wales': 'GB', 'scotland': 'GB', 'northern ireland': 'GB', 'great britain': 'GB',
  'england and wales': 'GB', 'united kingdom england and wales': 'GB', 'uk': 'GB', 'u k': 'GB', 'gb': 'GB',
  'united kingdom of great britain and northern ireland': 'GB', 'united kingdom of great britain and northern ireland the': 'GB',
  'british': 'GB', 'english': 'GB', 'welsh': 'GB', 'scottish': 'GB', 'scots': 'GB', 'northern irish': 'GB',
  'citizen of the united kingdom': 'GB', 'britain': 'GB',
  // China, Hong Kong, Macao, Taiwan
  'chinese': 'CN', 'prc': 'CN', 'p r china': 'CN', 'peoples republic of china': 'CN', 'china mainland': 'CN', 'mainland china': 'CN',
  'hong kong': 'HK', 'hong kong sar': 'HK', 'hong kong sar china': 'HK', 'hong kong china': 'HK', 'hongkong': 'HK', 'hong konger': 'HK',
  'macau': 'MO', 'macao': 'MO', 'macao sar': 'MO', 'macau sar': 'MO', 'macanese': 'MO',
  'taiwanese': 'TW', 'taiwan province of china': 'TW', 'republic of china taiwan': 'TW',
  // Russia, Belarus, Iran, North Korea and other frequently restricted regions
  'russian': 'RU', 'russian federation': 'RU', 'russia': 'RU',
  'belarusian': 'BY', 'belarusan': 'BY', 'byelorussian': 'BY',
  'iranian': 'IR', 'iran islamic republic of': 'IR', 'islamic republic of iran': 'IR', 'persian': 'IR',
  'north korea': 'KP', 'north korean': 'KP', 'dprk': 'KP', 'korea democratic peoples republic of': 'KP',
  'democratic peoples republic of korea': 'KP', 'korea dpr': 'KP', 'korea north': 'KP',
  'south korea': 'KR', 'south korean': 'KR', 'korea republic of': 'KR', 'republic of korea': 'KR', 'korea south': 'KR', 'korean': 'KR',
  'syrian': 'SY', 'syrian arab republic': 'SY', 'cuban': 'CU', 'venezuelan': 'VE', 'venezuela bolivarian republic of': 'VE',
  'burmese': 'MM', 'burma': 'MM', 'myanmar burma': 'MM', 'afghan': 'AF', 'iraqi': 'IQ', 'libyan': 'LY', 'sudanese': 'SD',
  'ukrainian': 'UA', 'kazakh': 'KZ', 'kazakhstani': 'KZ', 'uzbek': 'UZ', 'kyrgyz': 'KG', 'tajik': 'TJ', 'turkmen': 'TM',
  'armenian': 'AM', 'azerbaijani': 'AZ', 'georgian': 'GE', 'moldovan': 'MD', 'vietnamese': 'VN', 'viet nam': 'VN',
  // Common demonyms and spellings
  'american': 'US', 'usa': 'US', 'u s a': 'US', 'us': 'US', 'u s': 'US', 'united states of america': 'US', 'america': 'US',
  'canadian': 'CA', 'mexican': 'MX', 'brazilian': 'BR', 'argentine': 'AR', 'argentinian': 'AR', 'chilean': 'CL', 'colombian': 'CO',
  'irish': 'IE', 'french': 'FR', 'german': 'DE', 'dutch': 'NL', 'the netherlands': 'NL', 'holland': 'NL', 'belgian': 'BE',
  'luxembourgish': 'LU', 'luxembourger': 'LU', 'swiss': 'CH', 'austrian': 'AT', 'italian': 'IT', 'spanish': 'ES', 'portuguese': 'PT',
  'greek': 'GR', 'cypriot': 'CY', 'maltese': 'MT', 'danish': 'DK', 'dane': 'DK', 'swedish': 'SE', 'swede': 'SE', 'norwegian': 'NO',
  'finnish': 'FI', 'icelandic': 'IS', 'polish': 'PL', 'czech': 'CZ', 'slovak': 'SK', 'hungarian': 'HU', 'romanian': 'RO',
  'bulgarian': 'BG', 'croatian': 'HR', 'serbian': 'RS', 'slovenian': 'SI', 'slovene': 'SI', 'estonian': 'EE', 'latvian': 'LV',
  'lithuanian': 'LT', 'turkish': 'TR', 'israeli': 'IL', 'emirati': 'AE', 'uae': 'AE', 'u a e': 'AE', 'saudi': 'SA', 'saudi arabian': 'SA',
  'qatari': 'QA', 'kuwaiti': 'KW', 'bahraini': 'BH', 'omani': 'OM', 'jordanian': 'JO', 'lebanese': 'LB', 'egyptian': 'EG',
  'indian': 'IN', 'pakistani': 'PK', 'bangladeshi': 'BD', 'sri lankan': 'LK', 'nepalese': 'NP', 'japanese': 'JP', 'thai': 'TH',
  'malaysian': 'MY', 'singaporean': 'SG', 'indonesian': 'ID', 'filipino': 'PH', 'philippine': 'PH', 'australian': 'AU',
  'new zealander': 'NZ', 'kiwi': 'NZ', 'south african': 'ZA', 'nigerian': 'NG', 'kenyan': 'KE', 'ghanaian': 'GH',
  'bvi': 'VG', 'british virgin islands': 'VG', 'virgin islands british': 'VG', 'cayman': 'KY', 'caymanian': 'KY',
  'jersey channel islands': 'JE', 'guernsey channel islands': 'GG', 'isle of man': 'IM', 'manx': 'IM', 'gibraltarian': 'GI',
  'ivory coast': 'CI', 'cote divoire': 'CI', 'czechia': 'CZ', 'czech republic': 'CZ', 'slovak republic': 'SK',
  'republic of ireland': 'IE', 'eire': 'IE',
};

// The Node entry of i18n-iso-countries registers every locale it ships.
function lib(): typeof countries {
  return countries;
}

function fromLibrary(text: string): string | null {
  const c = lib();
  const code = c.getAlpha2Code(text, 'en') ?? c.getAlpha2Code(text, 'fr') ?? c.getAlpha2Code(text, 'de');
  return code ? code.toUpperCase() : null;
}

const LOOKUPS = new Map<string, string | null>();

/** lookup, remembered (splitCountries asks it for every nationality). */
function lookup(text: string): string | null {
  const known = LOOKUPS.get(text);
  if (known !== undefined) return known;
  const out = lookupUncached(text);
  if (LOOKUPS.size >= MEMO_MAX) LOOKUPS.clear();
  LOOKUPS.set(text, out);
  return out;
}

function lookupUncached(text: string): string | null {
  const key = countryKey(text);
  if (!key) return null;
  const t = COUNTRY_TABLE[key];
  if (t) return t;
  const l = fromLibrary(text.trim()) ?? fromLibrary(key);
  if (l) return l;
  return null;
}

export interface NormalizedCountry {
  code: string | null;
  subdivision?: string;
}

/**
 * Normalizes a country as registers write it: an ISO alpha-2/alpha-3 code (any case), an ISO 3166-2
 * subdivision (`US-DE`, FollowTheMoney `ua-cri`), a name in English/French/German, a demonym
 * ("Chinese"), a UK nation ("England And Wales"), or text with a country in it
 * ("United Kingdom (England And Wales)", "Minnesota, Usa"). Returns code null when nothing fits.
 */
export function normalizeCountry(text: string | null | undefined): NormalizedCountry {
  if (text === null || text === undefined) return { code: null };
  // A register repeats a few hundred spellings millions of times ("England", "British"), and the
  // library's name search scans every country in three languages: a bounded memo of the answers
  // (a pure function of the text) took a PSC import's parse from ~60% in here to nearly nothing.
  const known = MEMO.get(text);
  if (known) return { ...known };
  const out = normalizeUncached(text);
  if (MEMO.size >= MEMO_MAX) MEMO.clear();
  MEMO.set(text, out);
  return { ...out };
}

const MEMO = new Map<string, NormalizedCountry>();
const MEMO_MAX = 50_000;

function normalizeUncached(text: string): NormalizedCountry {
  const raw = text.trim();
  if (!raw) return { code: null };
  const c = lib();
  if (/^[A-Za-z]{2}$/.test(raw)) {
    const up = raw.toUpperCase();
    if (up === 'UK') return { code: 'GB' };
    if (up === 'EL') return { code: 'GR' };
    if (c.isValid(up)) return { code: up };
  }
  if (/^[A-Za-z]{3}$/.test(raw) && c.isValid(raw.toUpperCase())) {
    const a2 = c.alpha3ToAlpha2(raw.toUpperCase());
    if (a2) return { code: a2 };
  }
  const sub = /^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$/.exec(raw);
  if (sub && c.isValid(sub[1]!.toUpperCase())) {
    return { code: sub[1]!.toUpperCase(), subdivision: `${sub[1]!.toUpperCase()}-${sub[2]!.toUpperCase()}` };
  }
  const direct = lookup(raw);
  if (direct) return { code: direct };
  // "United Kingdom (England And Wales)": the part outside and inside the parentheses
  const paren = /^(.*?)\s*\((.*)\)\s*$/.exec(raw);
  if (paren) {
    const outer = lookup(paren[1]!);
    if (outer) return { code: outer };
    const inner = lookup(paren[2]!);
    if (inner) return { code: inner };
  }
  // "Minnesota, Usa", "Beijing, China": the last comma-separated part, then the first
  const parts = raw.split(/[,;/]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length > 1) {
    const last = lookup(parts[parts.length - 1]!);
    if (last) return { code: last };
    const first = lookup(parts[0]!);
    if (first) return { code: first };
  }
  // Several nationalities in one field ("British, Irish") are split by the caller (splitNationalities).
  return { code: null };
}

/** Splits "British,Irish" / "British / Irish" into single values when every part is a country. */
export function splitCountries(text: string): string[] {
  const t = text.trim();
  if (lookup(t)) return [t];
  const parts = t.split(/\s*[,/;]\s*/).filter(Boolean);
  if (parts.length > 1 && parts.every((p) => normalizeCountry(p).code)) return parts;
  return [t];
}

/** A CountryFact for `text` in `role`; code null (to be reported) when it cannot be normalized. */
export function countryFact(role: CountryRole, text: string): CountryFact {
  const n = normalizeCountry(text);
  const f: CountryFact = { role, code: n.code, text: text.trim() };
  if (n.subdivision) f.subdivision = n.subdivision;
  return f;
}
