// What changed after an update: `changes` (the verdicts of cases and watchlist rows that the
// imports moved, with the facts that moved them) and `watchlist` (portfolio screenings saved in
// the case database and re-screened after each import).
import path from 'node:path';
import { ChangesError, listChanges, recheck, removeWatchlist, screenAndSaveWatchlist, watchlistDetail, watchlists, type ChangesResult, type CheckResult } from '../../changes';
import { currentUser } from '../../resolve';
import { readList } from '../../verdict/screen-list';
import { policyFromArgs } from '../../verdict/policy-input';
import { isValidDate } from '../../../../shared/domain/policy/policy';
import { dateOption, parse, printJson, requireDb, table, UsageError, waitNotice, withCaseDb, type CliIo, type Command } from '../io';

const changesUsage = 'ownerscope changes --db CASE.db [--since SOURCE_ID|DATE] [--json]';

function sinceOption(v: string | undefined): { sourceId?: number; date?: string } {
  if (v === undefined) return {};
  if (/^\d+$/.test(v)) return { sourceId: Number(v) };
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(v) && isValidDate(v.slice(0, 10))) return { date: v };
  throw new UsageError(`--since takes a source id (a whole number, see \`ownerscope sources\`) or a date YYYY-MM-DD, got "${v}"\nusage: ${changesUsage}`);
}

const methods = (r: CheckResult) => `control ${r.control.verdict}${r.control.share ? ` (${r.control.share})` : ''}, look-through ${r.lookThrough.verdict}${r.lookThrough.share ? ` (${r.lookThrough.share})` : ''}`;

const factSource = (f: ChangesResult['changes'][number]['facts'][number]) =>
  f.removedSource
    ? `removed source ${f.removedSource.id} ${f.removedSource.fileName} (${f.removedSource.format})${f.source.recordRef ? ` ${f.source.recordRef}` : ''}`
    : `${f.source.fileName}${f.source.recordRef ? ` ${f.source.recordRef}` : ''}, source ${f.source.id}`;

export function renderChanges(r: ChangesResult): string {
  const steps = [
    ...r.since.sources.map((s) => ({ at: s.id, text: s.fileName })),
    ...r.since.removals.map((x) => ({ at: x.state, text: `removed: source ${x.id} ${x.fileName}` })),
  ].sort((a, b) => a.at - b.at);
  const window = steps.length ? `since source ${steps[0]!.at} (${steps.map((s) => s.text).join(', ')})` : 'since the last import: no source imported';
  let out = `${r.changes.length} verdict(s) changed ${window}\n`;
  for (const c of r.changes) {
    const who = c.target === 'case' ? `case ${c.caseId} (${c.status}${c.stale ? ', stale: decide again' : ''})` : `watchlist ${c.watchlist} row ${c.row} (${c.input})`;
    out += `\n${who}: ${c.subject.name}${c.subject.ref ? ` [${c.subject.ref}]` : ''} under ${c.policy.name}\n`;
    out += `  ${c.before.verdict} → ${c.after.verdict}\n`;
    out += `    before: ${methods(c.before)}\n    after:  ${methods(c.after)}\n`;
    for (const f of c.facts) out += `  - ${f.change}: ${f.text} [${factSource(f)}]\n`;
  }
  if (r.staleCases.length) out += `\nstale (decided on a verdict that has since changed; decide again): ${r.staleCases.join(', ')}\n`;
  return out;
}

export const changesCommand: Command = {
  name: 'changes',
  summary: 'The verdicts of cases and watchlists that changed after an import, with the facts that changed them',
  usage: changesUsage,
  async run(args, io) {
    const { values, positionals } = parse(args, { db: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' } }, changesUsage);
    const dbFile = requireDb(values.db, changesUsage);
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${changesUsage}`);
    const since = sinceOption(values.since);
    return withCaseDb(dbFile, async (db) => {
      // the checks are brought up to date first (only the subjects the new sources can affect)
      const summary = await recheck(db, { onWait: waitNotice(io) });
      let result: ChangesResult;
      try {
        result = listChanges(db, since);
      } catch (e) {
        if (!(e instanceof ChangesError)) throw e;
        io.stderr(`ownerscope: ${e.message}\n`);
        return 1;
      }
      const { ms, phases: _phases, ...counts } = summary;
      if (values.json) printJson(io, { ...result, recheck: { ...counts, ms: Math.round(ms) } });
      else io.stdout(renderChanges(result));
      return 0;
    });
  },
};

const watchUsage = {
  save: 'ownerscope watchlist save NAME --db CASE.db --input LIST.csv [--policy PRESET|FILE.json] [--as-of YYYY-MM-DD] [--json]',
  list: 'ownerscope watchlist list --db CASE.db [--json]',
  show: 'ownerscope watchlist show NAME --db CASE.db [--json]',
  remove: 'ownerscope watchlist remove NAME --db CASE.db',
};
const watchlistUsage = Object.values(watchUsage).join('\n       ');

function nameArg(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError(`exactly one watchlist NAME expected\nusage: ${usage}`);
  return positionals[0]!.trim();
}

export const watchlistCommand: Command = {
  name: 'watchlist',
  summary: 'Save a portfolio screening under a name, re-screened after each import (save, list, show, remove)',
  usage: watchlistUsage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'save') {
      const u = watchUsage.save;
      const { values, positionals } = parse(rest, { db: { type: 'string' }, input: { type: 'string' }, policy: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean' } }, u);
      const dbFile = requireDb(values.db, u);
      const name = nameArg(positionals, u);
      if (!values.input) throw new UsageError(`--input LIST.csv is required\nusage: ${u}`);
      const policy = policyFromArgs(values.policy, dateOption(values['as-of'], '--as-of'));
      return withCaseDb(dbFile, async (db) => {
        const list = readList(db, values.input!);
        const saved = await saveNamed(db, io, name, policy, list, values.input!);
        if (values.json) printJson(io, saved);
        else io.stdout(savedLine(saved));
        return 0;
      });
    }
    if (sub === 'list') {
      const { values } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' } }, watchUsage.list);
      return withCaseDb(requireDb(values.db, watchUsage.list), (db) => {
        const all = watchlists(db);
        if (values.json) printJson(io, { watchlists: all });
        else if (!all.length) io.stdout('no watchlists (save one with `ownerscope watchlist save NAME` or `screen --save-watchlist NAME`)\n');
        else io.stdout(table([['name', 'rows', 'policy', 'saved', 'list'], ...all.map((w) => [w.name, String(w.rows), w.policy.name, w.createdAt.slice(0, 19), w.listFile ?? ''])]));
        return 0;
      });
    }
    if (sub === 'show' || sub === 'remove') {
      const u = watchUsage[sub];
      const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' } }, u);
      const dbFile = requireDb(values.db, u);
      const name = nameArg(positionals, u);
      return withCaseDb(dbFile, async (db) => {
        if (sub === 'remove') {
          const { writeTurn } = await import('../../store/concurrency');
          const removed = await writeTurn(db, () => removeWatchlist(db, name), { onWait: waitNotice(io) });
          if (!removed) return notFound(io, name);
          io.stdout(`watchlist ${name} removed\n`);
          return 0;
        }
        const w = watchlistDetail(db, name);
        if (!w) return notFound(io, name);
        if (values.json) printJson(io, w);
        else
          io.stdout(
            `watchlist ${w.name} under ${w.policy.name}, saved ${w.createdAt.slice(0, 19)}\n` +
              table([['row', 'input', 'entity', 'verdict', 'control', 'look-through'], ...w.rows.map((r) => [String(r.row), r.input, r.entity ? `#${r.entity.id} ${r.entity.name}` : r.note || r.match, r.latest?.verdict ?? '', r.latest?.control.verdict ?? '', r.latest?.lookThrough.verdict ?? ''])]),
          );
        return 0;
      });
    }
    throw new UsageError(`a subcommand is required: save, list, show or remove\nusage: ${watchlistUsage}`);
  },
};

function notFound(io: CliIo, name: string): number {
  io.stderr(`ownerscope: no watchlist named "${name}" in this case database (see \`ownerscope watchlist list\`)\n`);
  return 1;
}

type Saved = Awaited<ReturnType<typeof screenAndSaveWatchlist>>;
const savedLine = (s: Saved) => `watchlist ${s.name} saved: ${s.rows} row(s), ${s.screened} screened under ${s.policy.name}; re-screened after each import (\`ownerscope changes\`)\n`;

function saveNamed(db: Parameters<typeof watchlists>[0], io: CliIo, name: string, policy: ReturnType<typeof policyFromArgs>, list: ReturnType<typeof readList>, file: string): Promise<Saved> {
  return screenAndSaveWatchlist(db, { name, policy, listFile: path.basename(file), createdBy: currentUser() }, list, { onWait: waitNotice(io) });
}

/**
 * After an import (or a source removal): the watched subjects are re-checked against the new data
 * state ("re-screened after each import"), and the command says how many verdicts moved. The import
 * is committed already; a failing re-check is reported, not fatal (`changes` runs it again).
 */
export async function recheckAfterImport(db: Parameters<typeof watchlists>[0], io: CliIo): Promise<{ watched: number; verdictsChanged: number } | null> {
  try {
    const r = await recheck(db, { onWait: waitNotice(io) });
    return r.watched ? { watched: r.watched, verdictsChanged: r.changed } : null;
  } catch (e) {
    io.stderr(`ownerscope: the import is done, but re-checking the watched verdicts failed: ${(e as Error).message} (run \`ownerscope changes\`)\n`);
    return null;
  }
}

/** `screen --save-watchlist NAME`: the screening just run is saved (it is not computed twice). */
export { savedLine };
