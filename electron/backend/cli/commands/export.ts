// `ownerscope export`: the case's data, a subject's neighbourhood or what a case's verdict read,
// as CSV (the plain-CSV importer's shape), GraphML, GEXF, FollowTheMoney or BODS 0.4.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { caseScope, EXPORT_FORMATS, exportCase, zipFiles, type ExportFormat } from '../../export';
import { resolveRef } from '../../store/queries';
import { policyFromArgs, todayIso } from '../../verdict/policy-input';
import { dateOption, intOption, parse, printJson, requireDb, UsageError, withCaseDb, type Command } from '../io';

const usage =
  'ownerscope export --db CASE.db --format csv|graphml|gexf|ftm|bods [--subject REF [--up N] [--down N]] [--case CASEID] [--policy PRESET|FILE.json] [--as-of DATE] --out PATH|- [--json]';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the case data (or a subject\'s neighbourhood, or what a case used) as CSV, GraphML, GEXF, FollowTheMoney or BODS 0.4',
  usage,
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        db: { type: 'string' }, format: { type: 'string' }, subject: { type: 'string' }, up: { type: 'string' }, down: { type: 'string' },
        case: { type: 'string' }, policy: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
      },
      usage,
    );
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
    const file = requireDb(values.db, usage);
    const format = values.format as ExportFormat | undefined;
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}${format ? `, got "${format}"` : ''}\nusage: ${usage}`);
    const out = values.out;
    if (!out) throw new UsageError(`--out PATH (a file, a folder or a .zip for csv, or - for standard output) is required\nusage: ${usage}`);
    if (format === 'csv' && out === '-') throw new UsageError(`--format csv writes three files (entities.csv, links.csv, undisclosed.csv): give a folder or a .zip, not -\nusage: ${usage}`);
    if (values.case && values.subject) throw new UsageError(`--case and --subject exclude each other: a case has its own subject\nusage: ${usage}`);
    if ((values.up || values.down) && !values.subject) throw new UsageError(`--up and --down go with --subject\nusage: ${usage}`);
    const up = intOption(values.up, '--up', 10);
    const down = intOption(values.down, '--down', 10);
    const asOf = dateOption(values['as-of'], '--as-of');
    const result = await withCaseDb(file, async (db) => {
      let subjectId: number | undefined;
      let policy = policyFromArgs(values.policy, asOf);
      let scope = { up, down };
      if (values.case) {
        // what the case's verdict read: its subject's owners up to the top, under the case's own policy
        const c = caseScope(db, values.case, todayIso(), values.policy ? policy : undefined, asOf);
        subjectId = c.subjectId;
        policy = c.policy;
        scope = { up: c.up!, down: c.down! };
      } else if (values.subject) {
        subjectId = resolveRef(db, values.subject);
      }
      return exportCase(db, { format, policy, subjectId, ...scope });
    });
    let written: string[];
    if (out === '-') {
      io.stdout(result.files[0]!.data.toString('utf8'));
      written = ['-'];
    } else if (format === 'csv' && /\.zip$/i.test(out)) {
      writeFileSync(out, zipFiles(result.files));
      written = [out];
    } else if (format === 'csv') {
      if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out}: --format csv writes a folder (or a .zip); this is a file`);
      mkdirSync(out, { recursive: true });
      written = result.files.map((f) => {
        const p = path.join(out, f.name);
        writeFileSync(p, f.data);
        return p;
      });
    } else {
      writeFileSync(out, result.files[0]!.data);
      written = [out];
    }
    if (values.json && out !== '-') printJson(io, { format, files: written, ...result.counts });
    else if (out !== '-') io.stdout(`exported ${result.counts.entities} entities, ${result.counts.links} links, ${result.counts.markers} undisclosed markers as ${format}: ${written.join(', ')}\n`);
    return 0;
  },
};
