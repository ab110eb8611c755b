// Entity resolution commands: resolve (groups and candidates), same, not-same.
import { currentUser, decide, findCandidates, resolveEntities, type ResolveResult } from '../../resolve';
import { parse, printJson, requireDb, table, UsageError, withCaseWrite, type CliIo, type Command } from '../io';

function printGroups(io: CliIo, r: ResolveResult): void {
  if (r.groups.length === 0) io.stdout('no entities merged across sources\n');
  for (const g of r.groups) {
    io.stdout(`entity ${g.canonicalId} stands for ${g.members.length} records:\n`);
    for (const m of g.members) io.stdout(`  ${String(m.id).padStart(6)}  ${m.name}  [${m.identifiers.join(', ')}]\n`);
    for (const l of g.links) io.stdout(`    ${l.a} = ${l.b} (${l.method}): ${l.reason}\n`);
  }
  for (const l of r.overridden) io.stdout(`kept apart by decision: ${l.a} / ${l.b} (${l.reason})\n`);
  for (const d of r.waiting) io.stdout(`decision ${d.decision} ${d.refA} ${d.refB} waits for data: a reference names no entity yet\n`);
}

const resolveUsage = 'ownerscope resolve --db CASE.db [--candidates] [--json]';
export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'Merge records of the same entity across sources (identifiers, decisions); list name candidates',
  usage: resolveUsage,
  async run(args, io) {
    const { values, positionals } = parse(args, { db: { type: 'string' }, candidates: { type: 'boolean' }, json: { type: 'boolean' } }, resolveUsage);
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${resolveUsage}`);
    return withCaseWrite(requireDb(values.db, resolveUsage), io, (db) => {
      const r = resolveEntities(db);
      const candidates = values.candidates ? findCandidates(db) : undefined;
      if (values.json) printJson(io, { ...r, ...(candidates ? { candidates } : {}) });
      else {
        printGroups(io, r);
        if (candidates) {
          if (candidates.length === 0) io.stdout('no candidates\n');
          else
            io.stdout(
              '\ncandidates (confirm with `ownerscope same`, reject with `ownerscope not-same`):\n' +
                table([
                  ['score', 'a', 'b', 'reason'],
                  ...candidates.map((c) => [c.score.toFixed(2), `${c.a} ${c.aName}`, `${c.b} ${c.bName}`, c.reason]),
                ]),
            );
        }
      }
      return 0;
    });
  },
};

function decisionCommand(name: 'same' | 'not-same', summary: string): Command {
  const usage = `ownerscope ${name} --db CASE.db REF REF [--why TEXT] [--json]`;
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      const { values, positionals } = parse(args, { db: { type: 'string' }, why: { type: 'string' }, json: { type: 'boolean' } }, usage);
      const dbFile = requireDb(values.db, usage);
      if (positionals.length !== 2) throw new UsageError(`two references are needed, got ${positionals.length}\nusage: ${usage}`);
      return withCaseWrite(dbFile, io, (db) => {
        const by = currentUser(io.env);
        const r = decide(db, positionals[0]!, positionals[1]!, name, by, values.why);
        if (values.json) printJson(io, { decision: name, refs: positionals, by, why: values.why ?? null, ...r });
        else {
          io.stdout(`recorded: ${positionals[0]} ${name === 'same' ? 'is the same as' : 'is not the same as'} ${positionals[1]} (by ${by}${values.why ? `: ${values.why}` : ''})\n`);
          printGroups(io, r);
        }
        return 0;
      });
    },
  };
}

export const sameCommand = decisionCommand('same', 'Record that two references are the same entity (reversible with not-same)');
export const notSameCommand = decisionCommand('not-same', 'Record that two references are different entities (overrides identifier proofs)');
