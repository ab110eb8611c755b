// Beneficial Ownership Data Standard 0.2 / 0.3 / 0.4 (JSON array or JSON Lines).
import type { Fact } from '../../../../shared/formats/facts';
import { BodsDataError, mapStatement } from '../../../../shared/formats/bods/map';
import type { FormatModule, ParseContext } from '../types';
import { Batch, jsonValues, Warnings } from './json-stream';

/** Bounded memory: remembers this many replaced statement ids / record dates (oldest forgotten first). */
const MEMORY = 1_000_000;

class BoundedMap<V> extends Map<string, V> {
  override set(k: string, v: V): this {
    if (!this.has(k) && this.size >= MEMORY) this.delete(this.keys().next().value!);
    return super.set(k, v);
  }
}

export const bodsFormat: FormatModule = {
  id: 'bods-json',
  label: 'Beneficial Ownership Data Standard 0.2/0.3/0.4 (JSON or JSON Lines)',
  sniff(head) {
    const h = head.slice(0, 16384);
    return /^\s*[[{]/.test(h) && (/"statementID"\s*:/.test(h) || (/"recordId"\s*:/.test(h) && /"recordType"\s*:/.test(h)) || /"bodsVersion"\s*:/.test(h));
  },
  async *parse(input, ctx: ParseContext) {
    const batch = new Batch<Fact>();
    const warnings = new Warnings(ctx);
    const replaced = new BoundedMap<true>();
    const latest = new BoundedMap<string>();
    let publication: string | undefined;
    for await (const rec of jsonValues(input, ctx)) {
      const where = `record ${rec.index} (line ${rec.line})`;
      const value = rec.value as Record<string, unknown>;
      const sid = typeof value?.['statementID'] === 'string' ? (value['statementID'] as string) : typeof value?.['statementId'] === 'string' ? (value['statementId'] as string) : undefined;
      const recordRef = sid ? `${where} statement ${sid}` : where;
      let out;
      try {
        out = mapStatement(rec.value, { recordRef, warn: (p) => warnings.add(where, p) });
      } catch (e) {
        if (e instanceof BodsDataError) ctx.fail(sid ? `${where}, statement ${sid}` : where, e.problem);
        throw e;
      }
      ctx.countRecords(1);
      const pd = value['publicationDetails'] as Record<string, unknown> | undefined;
      if (pd && typeof pd['publicationDate'] === 'string' && (!publication || pd['publicationDate'] > publication)) {
        publication = pd['publicationDate'];
        ctx.setDataDate(publication);
      }
      if (out.version !== '0.4') {
        // a statement replaced by one seen earlier in this file is out of date: skip it
        if (sid && replaced.has(sid)) continue;
        for (const r of out.replaces) replaced.set(r, true);
      } else if (out.recordId) {
        const key = `${value['recordType']}:${out.recordId}`;
        const prev = latest.get(key);
        const date = out.statementDate ?? '';
        // the latest statement per record wins; an older one after it changes nothing
        if (prev !== undefined && date < prev) continue;
        latest.set(key, date);
      }
      batch.push(...out.facts);
      if (batch.full) yield batch.take();
    }
    if (batch.length) yield batch.take();
    warnings.flush();
  },
};
