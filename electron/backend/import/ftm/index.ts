// OpenSanctions / FollowTheMoney entity files (`entities.ftm.json`) and delta files (JSON Lines).
import type { EntityFact, Fact } from '../../../../shared/formats/facts';
import { FtmDataError, mapFtmLine } from '../../../../shared/formats/ftm/map';
import { Batch, jsonLines, Warnings } from '../bods/json-stream';
import type { FormatModule, ParseContext } from '../types';

/** Sanctioned entities held back for a Sanction line that may come later in the file. */
const HOLD_MAX = 200_000;

export const ftmFormat: FormatModule = {
  id: 'ftm-jsonl',
  label: 'OpenSanctions / FollowTheMoney entities or deltas (JSON Lines)',
  sniff(head) {
    const h = head.slice(0, 16384);
    if (!/^\s*\{/.test(h)) return false;
    return (/"schema"\s*:\s*"[A-Z][A-Za-z]+"/.test(h) && /"properties"\s*:/.test(h)) || /^\s*\{\s*"op"\s*:\s*"(ADD|MOD|DEL)"\s*,\s*"entity"\s*:/.test(h);
  },
  async *parse(input, ctx: ParseContext) {
    const batch = new Batch<Fact>();
    const warnings = new Warnings(ctx);
    const today = new Date().toISOString().slice(0, 10);
    // Sanction entities carry the program and authority of another entity: they are merged into
    // that entity's facts (attributes "sanctions", topic "sanction"). Entities with topics are kept
    // until the end of the file so a Sanction line after them can still be merged.
    const held = new Map<string, EntityFact>();
    const pending = new Map<string, { texts: string[]; topics: Set<string> }>();
    const skipped = new Map<string, number>();
    let lastChange: string | undefined;
    const merge = (f: EntityFact, s: { texts: string[]; topics: Set<string> }) => {
      const attributes = { ...(f.attributes ?? {}) };
      attributes['sanctions'] = [attributes['sanctions'], ...s.texts].filter(Boolean).join(' | ');
      return { ...f, attributes, topics: [...new Set([...(f.topics ?? []), ...s.topics])] };
    };
    for await (const rec of jsonLines(input, ctx)) {
      const where = `line ${rec.line}`;
      let out;
      try {
        out = mapFtmLine(rec.value, { recordRef: `${where}`, warn: (p) => warnings.add(where, p), today });
      } catch (e) {
        if (e instanceof FtmDataError) ctx.fail(where, e.problem);
        throw e;
      }
      ctx.countRecords(1);
      const v = rec.value as Record<string, unknown>;
      const lc = (typeof v['entity'] === 'object' && v['entity'] !== null ? (v['entity'] as Record<string, unknown>) : v)['last_change'];
      if (typeof lc === 'string' && (!lastChange || lc > lastChange)) lastChange = lc;
      if (out.skippedSchema) skipped.set(out.skippedSchema, (skipped.get(out.skippedSchema) ?? 0) + 1);
      if (out.sanction) {
        const s = pending.get(out.sanction.entityId) ?? { texts: [], topics: new Set<string>() };
        s.texts.push(out.sanction.text);
        for (const t of out.sanction.topics) s.topics.add(t);
        pending.set(out.sanction.entityId, s);
      }
      for (const f of out.facts) {
        if (f.type === 'entity' && (f.topics?.length ?? 0) > 0 && held.size < HOLD_MAX) held.set(out.entityId, f);
        else if (f.type === 'entity' && pending.has(out.entityId)) {
          batch.push(merge(f, pending.get(out.entityId)!));
          pending.delete(out.entityId);
        } else batch.push(f);
      }
      if (batch.full) yield batch.take();
    }
    for (const [id, f] of held) {
      const s = pending.get(id);
      batch.push(s ? merge(f, s) : f);
      pending.delete(id);
      if (batch.full) yield batch.take();
    }
    if (batch.length) yield batch.take();
    for (const [id] of pending) warnings.add('end of file', `a Sanction refers to entity ${id}, which is not in this file; its details were not attached`);
    if (skipped.size) {
      warnings.add('whole file', `records of schemas not used for ownership were skipped: ${[...skipped].map(([s, n]) => `${s} ×${n}`).join(', ')}`);
    }
    if (lastChange) ctx.setDataDate(lastChange);
    warnings.flush();
  },
};
