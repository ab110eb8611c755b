// Commands of the verdict engine: verdict, policies, policy show, screen.
import path from 'node:path';
import { dataState } from '../../store/watch';
import { asOfMeaning, formatBounds, listsConsultedLines, type ScreeningEntry, type VerdictReport } from '../../../../shared/domain/engine';
import { policySha256, PRESET_NAMES, resolvePolicy } from '../../../../shared/domain/policy/policy';
import { appendAudit } from '../../cases/audit';
import { listSources, resolveRef } from '../../store/queries';
import { policyFromArgs, readPolicyInput, todayIso } from '../../verdict/policy-input';
import { readList } from '../../verdict/screen-list';
import { dataDateText, emptyCounts, SCREEN_COLUMNS, screenedRow, unresolvedRow, writeScreenCsv, type ScreenContext } from '../../verdict/screen-csv';
import type { ScreenRow } from '../../../../shared/api/types';
import { computeVerdict, screen, type VerdictResult } from '../../verdict/verdict';
import { readSnapshot, readSnapshotAsync } from '../../store/concurrency';
import { dateOption, parse, printJson, requireDb, table, UsageError, withCaseDb, writeTurnCli, type Command } from '../io';

const verdictUsage = 'ownerscope verdict --db CASE.db REF [--policy PRESET|FILE.json] [--as-of YYYY-MM-DD] [--json]';

/** The verdict JSON contract (docs/VERDICT.md): the engine's report with the policy hash inline. */
export function verdictJson(r: VerdictReport): unknown {
  return r;
}

/** ", lei:…, gb-coh:…" for an entity that carries identifiers (registration-authority ids left out). */
function idText(e: object): string {
  const ids = ((e as { identifiers?: string[] }).identifiers ?? []).filter((i) => !i.startsWith("ra:")).slice(0, 3);
  return ids.length ? `, ${ids.join(', ')}` : '';
}

function renderVerdict(r: VerdictReport): string {
  const c = r.methods.control;
  const l = r.methods.lookThrough;
  const head = r.reasons[0] ?? '';
  let out = head.toUpperCase().startsWith(r.verdict.toUpperCase()) ? `${head}\n` : `${r.verdict.toUpperCase()}: ${head}\n`;
  out += `subject: ${r.subject.name} (#${r.subject.id}${r.subject.identifiers.length ? `, ${r.subject.identifiers.slice(0, 3).join(', ')}` : ''})\n`;
  out += `policy ${r.policy.name} (${r.policy.preset}, sha256 ${r.policy.sha256.slice(0, 16)}…), as of ${r.asOf}\n`;
  out += `  ${asOfMeaning(r.asOf)}\n`;
  out += `  control method:      ${c.verdict.padEnd(13)} restricted share ${formatBounds(c.restrictedShare)}${c.decisive ? '' : '  (not decisive under this policy)'}\n`;
  out += `  look-through method: ${l.verdict.padEnd(13)} restricted share ${formatBounds(l.restrictedShare)}${l.decisive ? '' : '  (not decisive under this policy)'}\n`;
  if (r.reasons.length > 1) out += 'reasons:\n' + r.reasons.slice(1).map((x) => `  - ${x}\n`).join('');
  if (r.paths.items.length) {
    out += `evidence paths${r.paths.truncated ? ` (first ${r.paths.limit})` : ''}:\n`;
    for (const p of r.paths.items) {
      out += `  ${p.origin.name} (#${p.origin.id}${idText(p.origin)}; ${p.origin.why}${p.origin.assertionIds ? `; asserted by investigator: assertion ${p.origin.assertionIds.join(', ')}` : ''}) → look-through ${formatBounds(p.lookThroughShare)}${p.countsInControl ? ', counts under control' : ''}\n`;
      for (const s of p.steps) {
        const src = s.links.map((k) => `${k.source.fileName} ${k.source.recordRef}`).join('; ');
        const ids = s as { ownerIdentifiers?: string[]; ownedIdentifiers?: string[] };
        out += `      ${s.ownerName}${idText({ identifiers: ids.ownerIdentifiers })} → ${s.ownedName}${idText({ identifiers: ids.ownedIdentifiers })}: ${s.counted} [${src}]\n`;
      }
    }
  }
  const up = r.ultimateParents;
  if (up.computed.length || up.reported.length) {
    out += `ultimate parents: computed ${up.computed.map((p) => `${p.name} (#${p.id})`).join(', ') || 'none'}; reported ${up.reported.map((p) => `${p.name} (#${p.id})`).join(', ') || 'none'}\n`;
  }
  const located = (r as VerdictResult).locations.filter((l) => l.entityId !== r.subject.id && l.code);
  if (located.length) out += 'origin locations:\n' + located.map((l) => `  - #${l.entityId} ${l.role} ${l.code}${l.text !== l.code ? ` ("${l.text}")` : ''} [${l.source.fileName} ${l.source.recordRef}]\n`).join('');
  if (r.lists) out += 'lists consulted:\n' + listsConsultedLines(r.lists).map((x) => `  - ${x}\n`).join('');
  if (r.gaps.length) out += 'gaps (facts that would settle it):\n' + r.gaps.map((g) => `  - ${g.text}\n`).join('');
  if (r.findings.length) out += 'findings:\n' + r.findings.map((f) => `  - ${f.text}\n`).join('');
  return out;
}

export const verdictCommand: Command = {
  name: 'verdict',
  summary: 'Decide whether an entity is restricted under a policy, with both methods, evidence paths and gaps',
  usage: verdictUsage,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { db: { type: 'string' }, policy: { type: 'string' }, 'as-of': { type: 'string' }, json: { type: 'boolean' } },
      verdictUsage,
    );
    const dbFile = requireDb(values.db, verdictUsage);
    if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${verdictUsage}`);
    const policy = policyFromArgs(values.policy, dateOption(values['as-of'], '--as-of'));
    return withCaseDb(dbFile, async (db) => {
      // a read: one snapshot, no write while computing (an import may hold the write lock)
      const report = readSnapshot(db, () => computeVerdict(db, resolveRef(db, positionals[0]!), policy));
      if (values.json) printJson(io, verdictJson(report));
      else io.stdout(renderVerdict(report));
      // the audit entry is the one write: it waits its turn, after the result is shown
      await writeTurnCli(db, io, () =>
        appendAudit(db, {
          action: 'verdict',
          actor: null,
          payload: { subjectId: report.subject.id, policySha256: report.policy.sha256, asOf: report.asOf, verdict: report.verdict },
        }),
      );
      return 0;
    });
  },
};

const policiesUsage = 'ownerscope policies [--json]';
export const policiesCommand: Command = {
  name: 'policies',
  summary: 'List the policy presets',
  usage: policiesUsage,
  async run(args, io) {
    const { values } = parse(args, { json: { type: 'boolean' } }, policiesUsage);
    const today = todayIso();
    const presets = PRESET_NAMES.map((name) => {
      const p = resolvePolicy({ preset: name }, { today });
      return { preset: name, name: p.name, threshold: p.threshold, comparison: p.comparison, aggregate: p.aggregate, method: p.method, restrictedCountries: p.restrictedCountries, restrictTopics: p.restrictTopics };
    });
    if (values.json) printJson(io, { presets });
    else
      io.stdout(
        table([
          ['preset', 'name', 'test', 'aggregate', 'method', 'origins'],
          ...presets.map((p) => [
            p.preset, p.name, `${p.comparison === 'gt' ? '>' : '>='} ${p.threshold}%`, p.aggregate ? 'yes' : 'no', p.method,
            [p.restrictedCountries.join(','), p.restrictTopics.map((t) => `topic ${t}`).join(',')].filter(Boolean).join('; ') || 'listed parties',
          ]),
        ]),
      );
    return 0;
  },
};

const policyUsage = 'ownerscope policy show PRESET|FILE.json [--as-of YYYY-MM-DD]';
export const policyCommand: Command = {
  name: 'policy',
  summary: 'Print the effective policy of a preset or a policy file (every field, canonical JSON, SHA-256)',
  usage: policyUsage,
  async run(args, io) {
    const { values, positionals } = parse(args, { 'as-of': { type: 'string' } }, policyUsage);
    if (positionals[0] !== 'show' || positionals.length !== 2) throw new UsageError(`usage: ${policyUsage}`);
    // validate the input before resolving so a bad file names itself
    readPolicyInput(positionals[1]);
    const p = policyFromArgs(positionals[1], dateOption(values['as-of'], '--as-of'));
    printJson(io, { ...p, sha256: policySha256(p) });
    return 0;
  },
};

export { SCREEN_COLUMNS };

/** `--save-watchlist NAME`: the screening just run becomes the watchlist's first check. */
async function saveScreenedWatchlist(
  db: Parameters<typeof screen>[0], io: Parameters<Command['run']>[1], name: string, policy: ReturnType<typeof policyFromArgs>,
  list: ReturnType<typeof readList>, file: string, entryOf: (id: number) => ScreeningEntry, state: number,
) {
  const { saveWatchlist } = await import('../../changes');
  const { currentUser } = await import('../../resolve');
  return writeTurnCli(db, io, () => saveWatchlist(db, { name, policy, listFile: path.basename(file), createdBy: currentUser() }, list, entryOf, state));
}

const screenUsage = 'ownerscope screen --db CASE.db (--input LIST.csv | --all) [--policy PRESET|FILE.json] [--as-of YYYY-MM-DD] --out RESULTS.csv|- [--bom] [--save-watchlist NAME] [--json]';
export const screenCommand: Command = {
  name: 'screen',
  summary: 'Batch screening of a portfolio list (refs or names) or of every entity; writes a CSV',
  usage: screenUsage,
  async run(args, io) {
    const { values } = parse(
      args,
      { db: { type: 'string' }, input: { type: 'string' }, all: { type: 'boolean' }, policy: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' }, bom: { type: 'boolean' }, 'save-watchlist': { type: 'string' }, json: { type: 'boolean' } },
      screenUsage,
    );
    const watchName = values['save-watchlist']?.trim();
    if (values['save-watchlist'] !== undefined && (!watchName || !values.input)) throw new UsageError(`--save-watchlist NAME needs a NAME and --input LIST.csv (a watchlist is a list)\nusage: ${screenUsage}`);
    const dbFile = requireDb(values.db, screenUsage);
    if (Boolean(values.input) === Boolean(values.all)) throw new UsageError(`give exactly one of --input LIST.csv or --all\nusage: ${screenUsage}`);
    const outFile = values.out;
    if (!outFile) throw new UsageError(`--out RESULTS.csv is required\nusage: ${screenUsage}`);
    const policy = policyFromArgs(values.policy, dateOption(values['as-of'], '--as-of'));
    return withCaseDb(dbFile, async (db) => {
      io.progress('loading…');
      // the list's references, the graph and the sources' data dates from one snapshot
      const { list, result, timing, indexOf, dataDate, state } = await readSnapshotAsync(db, async () => {
        const list = values.input ? readList(db, values.input) : null;
        const ids = list ? [...new Set(list.filter((r) => r.id !== null).map((r) => r.id!))] : undefined;
        return { list, dataDate: dataDateText(listSources(db).map((s) => s.dataDate)), ...(await screen(db, policy, ids)), state: dataState(db) };
      });
      const g = result.graph;
      const context: ScreenContext = { policyName: policy.name, policySha256: policySha256(policy), asOf: policy.asOf, dataDate };
      const tally = emptyCounts();
      const started = Date.now();
      const total = list ? list.length : g.count;
      // the rows as the app builds them, written through the same column definition
      function* rows(): Generator<ScreenRow> {
        for (let i = 0; i < total; i++) {
          let r: ScreenRow;
          if (list) {
            const l = list[i]!;
            r = l.id === null ? unresolvedRow(i, l) : screenedRow(result, i, l.row, l.input, l.match, indexOf(l.id));
          } else {
            r = screenedRow(result, i, null, '', 'all', i);
            if (io.isTTY && i % 50_000 === 0) io.progress(`writing ${i.toLocaleString('en')} of ${g.count.toLocaleString('en')} rows (${Math.round(i / Math.max(1, (Date.now() - started) / 1000)).toLocaleString('en')}/s)`);
          }
          tally[r.verdict]++;
          yield r;
        }
      }
      // `--out -`: the CSV is standard output, so the summary goes to standard error
      const toStdout = outFile === '-';
      await writeScreenCsv(toStdout ? io.stdout : outFile, rows(), context, { bom: values.bom ?? false });
      const rowsOut = total;
      const counts = {
        restricted: tally.restricted, clear: tally.clear, indeterminate: tally.indeterminate,
        unresolved: tally.ambiguous + tally['not-found'], invalid: tally.invalid, notFound: tally['not-found'], ambiguous: tally.ambiguous,
      };
      await writeTurnCli(db, io, () =>
        appendAudit(db, {
          action: 'screen',
          actor: null,
          payload: { subjects: list ? list.length : g.count, policySha256: policySha256(policy), asOf: policy.asOf, ...counts },
        }),
      );
      const watchlist = watchName && list ? await saveScreenedWatchlist(db, io, watchName, policy, list, values.input!, (id) => result.entry(indexOf(id)), state) : undefined;
      io.progress('');
      const summary = {
        out: values.out, subjects: list ? list.length : g.count, rowsIn: list ? list.length : g.count, rowsOut, ...counts,
        policy: { name: policy.name, sha256: policySha256(policy) }, asOf: policy.asOf,
        loadMs: Math.round(timing.loadMs), computeMs: Math.round(timing.computeMs), ...(watchlist ? { watchlist } : {}),
      };
      const say = toStdout ? io.stderr : io.stdout;
      if (values.json) say(JSON.stringify(summary, null, 2) + '\n');
      else
        say(
          `screened ${summary.subjects.toLocaleString('en')} subject(s) under ${policy.name} as of ${policy.asOf}: ${summary.rowsIn.toLocaleString('en')} row(s) in, ${rowsOut.toLocaleString('en')} row(s) out; ${counts.restricted} restricted, ${counts.indeterminate} indeterminate, ${counts.clear} clear${list ? `, ${counts.notFound} not found, ${counts.ambiguous} ambiguous, ${counts.invalid} invalid` : ''}; results in ${values.out} (load ${summary.loadMs} ms, compute ${summary.computeMs} ms)\n${watchlist ? (await import('./changes')).savedLine(watchlist) : ''}`,
        );
      return 0;
    });
  },
};

