// A link that ended, made from real GLEIF records (test/fixtures/gleif excerpts): shared by the
// as-of verdict tests (issue 11) and the app's "may have ended" form (e2e). With `status-only`
// the relationship says INACTIVE without an end date: a verdict before the file's data date
// cannot tell whether it still held ("link-may-have-ended").
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const START = '2014-03-01';
export const END = '2021-08-31';
/** the fund of the variant, and its manager moved to CN */
export const ENDED_FUND = 'lei:001GPB6A9XPE8XJICC14';
export const ENDED_MANAGER = 'lei:5493001Z012YSB2A0K51';

const read = (f: string) => readFileSync(path.resolve(__dirname, '../fixtures/gleif', f), 'utf8');

// GLEIF: the first record of the real RR excerpt (a fund and its manager), retyped as a direct
// consolidation; the real Level 1 record of the fund; the manager from another real Level 1
// record, moved to CN.
export function gleifEnded(ended: 'dated' | 'status-only'): { name: string; text: string }[] {
  const rr = read('rr-cdf21_goldencopy_2023-06-05_excerpt.xml');
  const head = rr.slice(0, rr.indexOf('<rr:RelationshipRecord '));
  const first = /<rr:RelationshipRecord .*?<\/rr:RelationshipRecord>/s.exec(rr)![0];
  const period = ended === 'dated' ? `<rr:StartDate>${START}T00:00:00.000Z</rr:StartDate>\n<rr:EndDate>${END}T00:00:00.000Z</rr:EndDate>` : `<rr:StartDate>${START}T00:00:00.000Z</rr:StartDate>`;
  const rec = first
    .replace('IS_FUND-MANAGED_BY', 'IS_DIRECTLY_CONSOLIDATED_BY')
    .replace(/<rr:StartDate>[^<]*<\/rr:StartDate>/, period)
    .replace('<rr:RelationshipStatus>ACTIVE', '<rr:RelationshipStatus>INACTIVE');
  const l1 = read('lei-cdf31_goldencopy_2023-06-05_excerpt.xml');
  const l1Head = l1.slice(0, l1.indexOf('<lei:LEIRecord'));
  const recs = [...l1.matchAll(/<lei:LEIRecord.*?<\/lei:LEIRecord>/gs)].map((m) => m[0]);
  const fund = recs.find((r) => r.includes('<lei:LEI>001GPB6A9XPE8XJICC14</lei:LEI>'))!;
  const manager = recs[1]!
    .replace(/<lei:LEI>\w+<\/lei:LEI>/, '<lei:LEI>5493001Z012YSB2A0K51</lei:LEI>')
    .replace(/<lei:Region>[^<]*<\/lei:Region>\s*/g, '')
    .replace(/<lei:Country>\w+<\/lei:Country>/g, '<lei:Country>CN</lei:Country>')
    .replace(/<lei:LegalJurisdiction>[^<]*<\/lei:LegalJurisdiction>/, '<lei:LegalJurisdiction>CN</lei:LegalJurisdiction>')
    .replace(/<lei:EntityCreationDate>[^<]*<\/lei:EntityCreationDate>\s*/, '');
  return [
    { name: 'l1.xml', text: `${l1Head}${fund}\n${manager}\n</lei:LEIRecords></lei:LEIData>\n` },
    { name: 'rr.xml', text: `${head}${rec}\n</rr:RelationshipRecords></rr:RelationshipData>\n` },
  ];
}
