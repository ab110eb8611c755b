// Name normalization for resolution candidates: case, accents, punctuation and legal-form words
// (Ltd/Limited/GmbH/有限公司/ООО …) removed, so "ACME Holdings Ltd." and "Acme Holdings Limited" meet;
// `resolutionKey` also transliterates alphabetic scripts, so "ООО Газпром" and "Gazprom OOO" meet.
import { latinKey } from '../store/search-index';

const LEGAL_FORMS = new Set([
  'ltd', 'limited', 'plc', 'llc', 'llp', 'lp', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'cos',
  'gmbh', 'mbh', 'ag', 'kg', 'kgaa', 'se', 'sa', 'sas', 'sarl', 'srl', 'spa', 'sl', 'bv', 'nv', 'oy', 'oyj', 'ab', 'as', 'asa',
  'aps', 'kk', 'pte', 'pty', 'bhd', 'sdn', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'ooo', 'zao', 'oao', 'pao', 'ao', 'tov', 'doo', 'dd',
  'sro', 'spolka', 'zoo', 'sp', 'the', 'holding', 'holdings', 'group',
  'ооо', 'зао', 'оао', 'пао', 'ао', 'тов', 'пат', 'ат', 'уп', 'гуп', 'фгуп',
  'общество', 'с', 'ограниченной', 'ответственностью', 'акционерное', 'публичное', 'закрытое', 'открытое',
]);

/** CJK legal-form suffixes (no spaces between words, so they are cut from the end). */
const CJK_SUFFIXES = ['股份有限公司', '有限责任公司', '有限責任公司', '有限公司', '株式会社', '有限会社', '合同会社', '集团', '集團', '公司', '주식회사', '유한회사'];

export function normalizeName(name: string): string {
  let s = name.normalize('NFKC');
  for (const suf of CJK_SUFFIXES) {
    s = s.split(suf).join(' ');
  }
  s = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\./g, '') // "S.A." → "sa", "Ltd." → "ltd"
    .replace(/[\p{P}\p{S}]+/gu, ' ');
  const words = s.split(/\s+/).filter((w) => w && !LEGAL_FORMS.has(w));
  return words.join(' ').trim();
}

/** Han and kana: a Latin reading (pinyin, romaji) would join names that only sound alike. */
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The key two names must share to be proposed as one entity: normalizeName of the name's Latin
 * transliteration for alphabetic scripts (Cyrillic, Greek, Arabic, Hebrew, Georgian, ...), of the
 * name itself for Latin and ideographic names.
 */
export function resolutionKey(name: string): string {
  const latin = IDEOGRAPHIC.test(name) ? null : latinKey(name);
  return normalizeName(latin ?? name);
}
