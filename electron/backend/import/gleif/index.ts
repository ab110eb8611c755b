// GLEIF importers: Level 1 (LEI-CDF 3.1/2.1) as XML, golden-copy JSON and CSV; Level 2 relationships
// (RR-CDF 2.1) and reporting exceptions (2.1) as XML and CSV; saved GLEIF API (JSON:API) responses of all three. Mapping: shared/formats/gleif/map.ts;
// decisions: docs/FORMATS-GLEIF.md.
import type { FormatModule } from '../types';
import { parseApi, sniffApi } from './api';
import { parseCsv, sniffCsv } from './csv';
import { LEVEL1, REPEX, RR, type Family } from './families';
import { parseJson } from './json';
import { parseXml, parseXmlRecords } from './xml';

const ROOTS: Record<string, RegExp> = {
  level1: /<([A-Za-z_][\w.-]*:)?LEIData[\s>]/,
  rr: /<([A-Za-z_][\w.-]*:)?RelationshipData[\s>]/,
  repex: /<([A-Za-z_][\w.-]*:)?ReportingExceptionData[\s>]/,
};

function sniffXml(head: string, fam: Family): boolean {
  return head.includes(fam.namespace) && ROOTS[fam.name]!.test(head);
}

const JSON_START = /^\s*\{\s*"records"\s*:\s*\[/;

const RECORD_OBJECT = { level1: 'entity', rr: 'link', repex: 'undisclosed' } as const;

function xmlModule(id: FormatModule['id'], label: string, fam: Family): FormatModule {
  return {
    id, label, sniff: (head) => sniffXml(head, fam), parse: (input, ctx) => parseXml(input, ctx, fam), recordAtATime: true,
    parseRecords: (input, ctx, known) => parseXmlRecords(input, ctx, fam, known), recordObject: RECORD_OBJECT[fam.name],
  };
}

function csvModule(id: FormatModule['id'], label: string, fam: Family): FormatModule {
  return { id, label, sniff: (head) => sniffCsv(head, fam), parse: (input, ctx) => parseCsv(input, ctx, fam), recordAtATime: true, parseHeapMiB: 32 };
}

export const gleifFormats: FormatModule[] = [
  xmlModule('gleif-l1-xml', 'GLEIF Level 1 LEI-CDF XML', LEVEL1),
  {
    id: 'gleif-l1-json',
    label: 'GLEIF Level 1 golden-copy JSON',
    sniff: (head) => JSON_START.test(head) && head.includes('"LEI"') && head.includes('"Entity"'),
    parse: (input, ctx) => parseJson(input, ctx, LEVEL1),
  },
  csvModule('gleif-l1-csv', 'GLEIF Level 1 golden-copy CSV', LEVEL1),
  xmlModule('gleif-rr-xml', 'GLEIF Level 2 relationships RR-CDF XML', RR),
  csvModule('gleif-rr-csv', 'GLEIF Level 2 relationships golden-copy CSV', RR),
  xmlModule('gleif-repex-xml', 'GLEIF Level 2 reporting exceptions XML', REPEX),
  csvModule('gleif-repex-csv', 'GLEIF Level 2 reporting exceptions golden-copy CSV', REPEX),
  { id: 'gleif-api-json', label: 'GLEIF API response (JSON:API)', sniff: sniffApi, parse: parseApi },
];
