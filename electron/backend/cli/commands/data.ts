// Commands over the imported data: import, sources, search, show, trace.
import { withIdentifiers } from '../../verdict/identifiers';
import { formatShare } from '../../../../shared/domain/model';
import { importBatch, STDIN, type ImportProgress } from '../../import/runner';
import { formatById } from '../../import/registry';
import { parseApiRequest } from '../../../../shared/formats/gleif/api';
import { openCaseDb } from '../../store/db';
import { resolvedEntityDetail } from '../../resolve';
import { listSources, resolveRef, searchEntities, today, type LinkView } from '../../store/queries';
import { trace } from '../../store/trace';
import { dateOption, intOption, parse, printJson, requireDb, table, UsageError, waitNotice, withCaseDb, type CliIo, type Command } from '../io';
import { FormatNotRecognised, type FormatId } from '../../import/types';
import { removeSource } from '../../import/remove-source';

const mib = (b: number) => (b / 1048576).toFixed(1);

export function progressLine(p: ImportProgress): string {
  const pct = p.totalBytes > 0 ? ` ${((100 * p.bytes) / p.totalBytes).toFixed(0)}%` : '';
  const eta = p.etaMs !== null && p.phase === 'importing' ? `, ${Math.ceil(p.etaMs / 1000)}s left` : '';
  const files = p.fileCount > 1 ? `[${p.fileIndex + 1}/${p.fileCount}] ` : '';
  return `${files}${p.file}:${pct} ${p.records.toLocaleString('en')} records (${Math.round(p.recordsPerSecond).toLocaleString('en')}/s, ${mib(p.bytesPerSecond)} MiB/s)${eta}${p.phase === 'committing' ? ', committing' : ''}`;
}

const importUsage = 'ownerscope import --db CASE.db FILE...|- [--format F] [--from-url URL] [--again] [--json]';
export const importCommand: Command = {
  name: 'import',
  summary: 'Import registry files (GLEIF L1/L2/exceptions, ...) into a case database, atomically',
  usage: importUsage,
  async run(args, io) {
    const { values, positionals } = parse(
      args, { db: { type: 'string' }, format: { type: 'string' }, 'from-url': { type: 'string' }, again: { type: 'boolean' }, json: { type: 'boolean' } }, importUsage,
    );
    const dbFile = requireDb(values.db, importUsage);
    if (positionals.length === 0) throw new UsageError(`no FILE given (use - for standard input)\nusage: ${importUsage}`);
    if (positionals.filter((f) => f === STDIN).length > 1) throw new UsageError(`- (standard input) can be given once\nusage: ${importUsage}`);
    if (values.format !== undefined) {
      try {
        formatById(values.format);
      } catch (e) {
        throw new UsageError(`--format: ${(e as Error).message}`);
      }
    }
    const fromUrl = values['from-url'];
    if (fromUrl !== undefined) {
      if (positionals.length !== 1) throw new UsageError(`--from-url names the request of one FILE, got ${positionals.length} files\nusage: ${importUsage}`);
      if (!parseApiRequest(fromUrl)) {
        throw new UsageError(`--from-url must be a GLEIF API URL such as https://api.gleif.org/api/v1/lei-records/LEI/direct-parent, got "${fromUrl}"`);
      }
    }
    const db = openCaseDb(dbFile);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const { imported: results, skipped } = await importBatch(db, positionals, {
        format: values.format as FormatId | undefined,
        ...(positionals.includes(STDIN) ? { stdin: io.stdin } : {}),
        ...(fromUrl !== undefined ? { requestUrl: fromUrl } : {}),
        again: values.again ?? false,
        signal: controller.signal,
        onProgress: io.isTTY ? (p) => io.progress(progressLine(p)) : undefined,
        onWait: waitNotice(io),
      });
      if (io.isTTY) io.progress('');
      // loaded only after an import (search, show and trace do not need the engine)
      const watched = await (await import('./changes')).recheckAfterImport(db, io);
      if (values.json) printJson(io, { imported: results, skipped, ...(watched ? { changes: watched } : {}) });
      else {
        for (const s of skipped) io.stdout(`${s.message} (skipped; --again imports it anyway)\n`);
        for (const r of results) {
          io.stdout(
            `${r.file}: ${r.format}, ${r.records.toLocaleString('en')} records → ${r.entities} entities, ${r.links} links, ${r.markers} undisclosed markers` +
              `${r.deletions ? `, ${r.deletions} deletions` : ''}${r.unchanged ? ` (${r.unchanged} unchanged)` : ''}` +
              `; ${r.inserted} new, ${r.changed} changed, ${r.unchanged} unchanged, ${r.dropped} dropped; data date ${r.dataDate ?? 'unknown'}; sha256 ${r.sha256}; ${(r.elapsedMs / 1000).toFixed(1)} s\n`,
          );
        }
        if (watched?.verdictsChanged) io.stdout(`${watched.verdictsChanged} watched verdict(s) changed: see \`ownerscope changes --db ${dbFile}\`\n`);
      }
      return 0;
    } catch (e) {
      // the command line's way to choose a format (the app offers a picker instead)
      if (e instanceof FormatNotRecognised) throw new Error(`${e.message}; name it with --format`);
      throw e;
    } finally {
      if (io.isTTY) io.progress('');
      process.removeListener('SIGINT', onSigint);
      db.close();
    }
  },
};

const sourcesUsage = 'ownerscope sources --db CASE.db [--json]\n       ownerscope sources remove --db CASE.db SOURCE_ID [--actor NAME] [--json]';
const removeUsage = 'ownerscope sources remove --db CASE.db SOURCE_ID [--actor NAME] [--json]';

async function sourcesRemove(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' }, actor: { type: 'string' } }, removeUsage);
  const dbFile = requireDb(values.db, removeUsage);
  if (positionals.length !== 1) throw new UsageError(`SOURCE_ID: one source id is needed, got ${positionals.length}\nusage: ${removeUsage}`);
  if (!/^\d+$/.test(positionals[0]!)) throw new UsageError(`SOURCE_ID: "${positionals[0]}" is not a source id (a number from ownerscope sources)\nusage: ${removeUsage}`);
  return withCaseDb(dbFile, async (db) => {
    const r = await removeSource(db, Number(positionals[0]), { actor: values.actor });
    // a removal moves verdicts as an import does: the watched subjects are re-checked the same way
    const watched = await (await import('./changes')).recheckAfterImport(db, io);
    if (values.json) printJson(io, { removed: r, ...(watched ? { changes: watched } : {}) });
    else {
      io.stdout(
        `removed source #${r.sourceId} ${r.fileName}: ${r.removed} records only it stated are gone, ${r.fellBack} fall back to another source` +
          `${r.flaggedCases.length ? `; cases flagged (their verdict used it): ${r.flaggedCases.join(', ')}` : ''}\n`,
      );
      if (watched?.verdictsChanged) io.stdout(`${watched.verdictsChanged} watched verdict(s) changed: see \`ownerscope changes --db ${dbFile}\`\n`);
    }
    return 0;
  });
}

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'List the imported sources with counts, SHA-256 and data dates; remove one',
  usage: sourcesUsage,
  async run(args, io) {
    if (args[0] === 'remove') return sourcesRemove(args.slice(1), io);
    const { values } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' } }, sourcesUsage);
    return withCaseDb(requireDb(values.db, sourcesUsage), (db) => {
      const rows = listSources(db);
      if (values.json) printJson(io, { sources: rows });
      else if (rows.length === 0) io.stdout('no sources imported yet\n');
      else
        io.stdout(
          table([
            ['id', 'file', 'format', 'data date', 'records', 'entities', 'links', 'markers', 'sha256'],
            ...rows.map((s) => [String(s.id), s.fileName, s.format, s.dataDate ?? '-', String(s.records), String(s.entities), String(s.links), String(s.markers), s.sha256.slice(0, 16)]),
          ]),
        );
      return 0;
    });
  },
};

const searchUsage = 'ownerscope search --db CASE.db QUERY [--limit N] [--offset N] [--json]';
export const searchCommand: Command = {
  name: 'search',
  summary: 'Find entities by name (any script, substring) or identifier',
  usage: searchUsage,
  async run(args, io) {
    const { values, positionals } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' }, offset: { type: 'string' } }, searchUsage);
    const dbFile = requireDb(values.db, searchUsage);
    if (positionals.length === 0) throw new UsageError(`no QUERY given\nusage: ${searchUsage}`);
    return withCaseDb(dbFile, (db) => {
      const rows = searchEntities(db, positionals.join(' '), intOption(values.limit, '--limit', 50), intOption(values.offset, '--offset', 0));
      if (values.json) printJson(io, { query: positionals.join(' '), results: rows });
      else if (rows.length === 0) io.stdout('no match\n');
      else
        io.stdout(
          table([
            ['id', 'kind', 'countries', 'name', 'identifiers'],
            ...rows.map((r) => [
              String(r.id), r.kind, r.countries.join(',') || '-',
              `${r.matched === r.name ? r.name : `${r.name} (${r.matched})`}${r.how === 'transliteration' ? ' [transliterated]' : r.how === 'similar' ? ' [similar spelling]' : ''}`,
              r.identifiers.slice(0, 2).join(' '),
            ]),
          ]),
        );
      return 0;
    });
  },
};

function linkLine(l: LinkView, side: 'owner' | 'owned'): string {
  const who = side === 'owner' ? `${l.ownerName} (#${l.ownerId})` : `${l.ownedName} (#${l.ownedId})`;
  const share = l.share ? formatShare(l.share) : l.kind === 'control' ? 'control, no share stated' : 'share unknown';
  const flags = [l.isSummary ? 'summary of a chain' : '', l.isCurrent ? '' : `not current: ${l.status}${l.endDate ? ` ended ${l.endDate}` : ''}${l.registrationStatus && l.registrationStatus !== 'PUBLISHED' ? ` ${l.registrationStatus}` : ''}`]
    .filter(Boolean)
    .join('; ');
  return `  ${who}  ${l.kind}${l.controlBasis ? `/${l.controlBasis}` : ''}  ${share}  stated "${l.stated}"${flags ? `  [${flags}]` : ''}\n      source ${l.source.fileName} ${l.source.recordRef}\n`;
}

const showUsage = 'ownerscope show --db CASE.db REF [--as-of YYYY-MM-DD] [--json]';
export const showCommand: Command = {
  name: 'show',
  summary: 'Show an entity: identity, identifiers, countries, owners, subsidiaries, undisclosed markers, sources',
  usage: showUsage,
  async run(args, io) {
    const { values, positionals } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' }, 'as-of': { type: 'string' } }, showUsage);
    const dbFile = requireDb(values.db, showUsage);
    if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${showUsage}`);
    const asOf = dateOption(values['as-of'], '--as-of') ?? today();
    return withCaseDb(dbFile, (db) => {
      const d = withIdentifiers(db, resolvedEntityDetail(db, resolveRef(db, positionals[0]!), asOf));
      if (values.json) {
        printJson(io, { asOf, entity: d });
        return 0;
      }
      let out = `${d.name}  (#${d.id}, ${d.kind}${d.category ? `, ${d.category}` : ''}${d.status ? `, status ${d.status}` : ''}${d.registrationStatus ? `, registration ${d.registrationStatus}` : ''})\n`;
      if (d.isPlaceholder) out += '  only referenced by other records; no record describes it\n';
      else if (d.valueSources.name) out += `  name, kind and status from ${d.valueSources.name.fileName} ${d.valueSources.name.recordRef}\n`;
      out += `identifiers: ${d.identifiers.map((i) => `${i.scheme}:${i.value}`).join(', ') || '-'}\n`;
      out += 'countries:\n' + (d.countries.map((c) => `  ${c.role}: ${c.code ?? '??'}${c.subdivision ? ` (${c.subdivision})` : ''}${c.text !== c.code && c.text !== c.subdivision ? ` "${c.text}"` : ''}\n`).join('') || '  none known\n');
      const other = d.names.filter((n) => n.name !== d.name);
      if (other.length) out += 'other names:\n' + other.map((n) => `  ${n.type}: ${n.name}${n.lang ? ` [${n.lang}]` : ''}\n`).join('');
      if (d.topics.length) out += `topics: ${d.topics.join(', ')}\n`;
      out += `owners (${d.owners.length}):\n` + (d.owners.map((l) => linkLine(l, 'owner')).join('') || '  none recorded\n');
      out += `subsidiaries and branches (${d.holdings.length}):\n` + (d.holdings.map((l) => linkLine(l, 'owned')).join('') || '  none recorded\n');
      if (d.markers.length)
        out += 'undisclosed ownership:\n' + d.markers.map((m) => `  ${m.category} (${m.scope} parent): ${m.reason}${m.detail ? ` — ${m.detail}` : ''}${m.isCurrent ? '' : ' [not current]'}\n      source ${m.source.fileName} ${m.source.recordRef}\n`).join('');
      if (d.resolution.sameAs.length) {
        const r = d.resolution;
        out += `same entity as (entity resolution; verdicts, graph and trace read the group as #${r.canonicalId}):\n` +
          r.sameAs.map((m) => `  #${m.id} ${m.name}${m.identifiers.length ? ` (${m.identifiers.join(', ')})` : ''}\n`).join('') +
          r.evidence.map((l) => `    ${l.method}: ${l.reason}\n`).join('');
      }
      out += 'sources:\n' + d.sources.map((s) => `  ${s.fileName} (${s.format}, data date ${s.dataDate ?? '-'}, sha256 ${s.sha256.slice(0, 16)}…)\n`).join('');
      io.stdout(out);
      return 0;
    });
  },
};

const traceUsage = 'ownerscope trace --db CASE.db REF [--down] [--depth N] [--as-of YYYY-MM-DD] [--json]';
export const traceCommand: Command = {
  name: 'trace',
  summary: 'Chains up to the ultimate parents (computed and reported), or down to subsidiaries and branches',
  usage: traceUsage,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      { db: { type: 'string' }, json: { type: 'boolean' }, down: { type: 'boolean' }, depth: { type: 'string' }, 'as-of': { type: 'string' } },
      traceUsage,
    );
    const dbFile = requireDb(values.db, traceUsage);
    if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${traceUsage}`);
    const depth = intOption(values.depth, '--depth', 20);
    if (depth < 1) throw new UsageError('--depth must be at least 1');
    const asOf = dateOption(values['as-of'], '--as-of') ?? today();
    return withCaseDb(dbFile, (db) => {
      const t = withIdentifiers(db, trace(db, resolveRef(db, positionals[0]!), { down: values.down, depth, asOf }));
      if (values.json) {
        printJson(io, t);
        return 0;
      }
      io.stdout(renderTrace(t));
      return 0;
    });
  },
};

function renderTrace(t: ReturnType<typeof trace>): string {
  const n = (id: number) => {
    const x = t.nodes[id]!;
    const idents = (x as { identifiers?: string[] }).identifiers ?? [];
    return `${x.name} (#${id}${idents.length ? `, ${idents.filter((i) => !i.startsWith('ra:')).slice(0, 2).join(', ')}` : ''}${x.countries.length ? `, ${x.countries.join('/')}` : ''})`;
  };
  const share = (id: number) => {
    const l = t.links[id]!;
    return `${l.kind}${l.share ? ` ${formatShare(l.share)}` : ''}`;
  };
  let out = '';
  if (t.direction === 'up') {
    out += `${n(t.subject)}: ${t.chains.filter((c) => c.links.length > 0).length} chain(s) up, as of ${t.asOf}\n`;
    for (const c of t.chains) {
      if (c.links.length === 0) continue;
      out += '  ' + c.entities.map((id, i) => (i === 0 ? n(id) : ` ←[${share(c.links[i - 1]!)}]— ${n(id)}`)).join('') + (c.end === 'cycle' ? '  (cycle)' : c.end === 'depth' ? '  (depth limit)' : '') + '\n';
    }
    if (t.chains.every((c) => c.links.length === 0)) out += '  no direct parent recorded\n';
    out += `computed ultimate parent(s): ${t.computedUltimateParents.map(n).join(', ') || 'none'}\n`;
    out += `reported ultimate parent(s): ${t.reportedUltimateParents.map((r) => `${n(r.id)} [${t.links[r.linkId]!.source.fileName} ${t.links[r.linkId]!.source.recordRef}]`).join(', ') || 'none'}\n`;
  } else {
    out += `${n(t.subject)}: subsidiaries and branches, as of ${t.asOf}\n`;
    const seen = new Set<number>();
    const walk = (id: number, indent: string) => {
      for (const lid of t.children[id] ?? []) {
        const l = t.links[lid]!;
        const again = seen.has(l.ownedId);
        out += `${indent}└ ${n(l.ownedId)} [${share(lid)}]${again ? ' (see above)' : ''}\n`;
        if (!again) {
          seen.add(l.ownedId);
          walk(l.ownedId, indent + '  ');
        }
      }
    };
    seen.add(t.subject);
    walk(t.subject, '  ');
    if (!t.children[t.subject]) out += '  none recorded\n';
  }
  for (const f of t.findings) out += `finding: ${f.text}\n`;
  return out;
}
