// UK Companies House PSC snapshot (JSON Lines, one `{"company_number","data"}` per line).
import type { Fact } from '../../../../shared/formats/facts';
import { mapPscLine, PscDataError } from '../../../../shared/formats/psc/map';
import { Batch, jsonLines, Warnings } from '../bods/json-stream';
import type { FormatModule, ParseContext } from '../types';

const PSC_KIND = /"kind"\s*:\s*"(individual-person-with-significant-control|corporate-entity-person-with-significant-control|legal-person-person-with-significant-control|super-secure-person-with-significant-control|persons-with-significant-control-statement|exemptions|individual-beneficial-owner|corporate-entity-beneficial-owner|legal-person-beneficial-owner|super-secure-beneficial-owner|totals#persons-of-significant-control-snapshot)"/;

export const pscFormat: FormatModule = {
  id: 'uk-psc-jsonl',
  label: 'UK Companies House PSC snapshot (JSON Lines)',
  recordAtATime: true,
  sniff(head) {
    const first = head.trimStart();
    return first.startsWith('{') && PSC_KIND.test(head.slice(0, 16384)) && /"(company_number|data)"\s*:/.test(head.slice(0, 16384));
  },
  async *parse(input, ctx: ParseContext) {
    const batch = new Batch<Fact>();
    const warnings = new Warnings(ctx);
    for await (const rec of jsonLines(input, ctx)) {
      const where = `line ${rec.line}`;
      let out;
      try {
        out = mapPscLine(rec.value, { recordRef: where, warn: (p) => warnings.add(where, p) });
      } catch (e) {
        if (e instanceof PscDataError) ctx.fail(where, e.problem);
        throw e;
      }
      if (out.dataDate) ctx.setDataDate(out.dataDate);
      if (out.isRecord) ctx.countRecords(1);
      batch.push(...out.facts);
      if (batch.full) yield batch.take();
    }
    if (batch.length) yield batch.take();
    warnings.flush();
  },
};
