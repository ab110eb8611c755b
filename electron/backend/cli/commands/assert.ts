// `ownerscope assert`: facts an investigator found in a document (issue 14; docs/CLI.md).
import path from 'node:path';
import { MAX_BYTES, readRegularFile, requireRegularFile } from '../../files/safe-path';
import { AssertionError, addAssertion, listAssertions, retractAssertion, type AssertionInfo, type DocumentInput } from '../../assertions/assertions';
import type { AssertedFact } from '../../store/assertions';
import { resolveRef, RefError } from '../../store/queries';
import type { Db } from '../../store/db';
import { ASSERTED_ENTITY_KINDS, ASSERTED_LINK_KINDS, ASSERTED_ROLES, DEFAULT_LISTED_TOPIC, checkTopic, normalizeCountry, parseShare } from '../../../../shared/domain/assertions';
import { dateOption, parse, printJson, requireDb, table, UsageError, withCaseDb, withCaseWrite, type CliIo, type Command } from '../io';
import { actorOf } from './cases';
import { mediaTypeOf } from '../../files/media-type';

const usages = {
  link: 'ownerscope assert link --db CASE.db OWNER_REF OWNED_REF --share SHARE [--kind shares|votes|control] [--from DATE] [--to DATE] (--document FILE | --reference TEXT) [--cite TEXT] --why TEXT [--actor NAME] [--json]',
  location: 'ownerscope assert location --db CASE.db REF --country CC --role headquarters|jurisdiction|legal-address|residence|nationality (--document FILE | --reference TEXT) [--cite TEXT] --why TEXT [--actor NAME] [--json]',
  entity: 'ownerscope assert entity --db CASE.db --name NAME --kind company|person|state|state-body|fund [--id SCHEME:VALUE] [--country CC] (--document FILE | --reference TEXT) [--cite TEXT] --why TEXT [--actor NAME] [--json]',
  kind: 'ownerscope assert kind --db CASE.db REF --kind company|person|state|state-body|fund (--document FILE | --reference TEXT) [--cite TEXT] --why TEXT [--actor NAME] [--json]',
  listed: 'ownerscope assert listed --db CASE.db REF --list NAME [--topic TOPIC]... (--document FILE | --reference TEXT) [--cite TEXT] --why TEXT [--actor NAME] [--json]',
  list: 'ownerscope assert list --db CASE.db [--json]',
  retract: 'ownerscope assert retract --db CASE.db ASSERTION_ID --why TEXT [--actor NAME] [--json]',
};

const common = {
  db: { type: 'string' }, json: { type: 'boolean' }, actor: { type: 'string' }, document: { type: 'string' }, reference: { type: 'string' },
  cite: { type: 'string' }, why: { type: 'string' },
} as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, usage: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got "${value}"\nusage: ${usage}`);
  return value as T;
}

function required(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${name} is required\nusage: ${usage}`);
  return value;
}

function country(value: string | undefined, usage: string): string {
  const c = normalizeCountry(required(value, '--country', usage));
  if (!c) throw new UsageError(`--country must be an ISO 3166-1 alpha-2 code (e.g. CN), got "${value}"\nusage: ${usage}`);
  return c;
}

/** The document argument: exactly one of --document FILE and --reference TEXT. */
function documentOf(values: { document?: string; reference?: string }, usage: string): () => DocumentInput {
  if ((values.document === undefined) === (values.reference === undefined)) throw new UsageError(`give exactly one of --document FILE and --reference TEXT\nusage: ${usage}`);
  if (values.reference !== undefined) {
    const reference = required(values.reference, '--reference', usage);
    return () => ({ reference });
  }
  const file = values.document!;
  requireRegularFile(file, 'document');
  return () => ({ fileName: path.basename(file), content: readRegularFile(file, MAX_BYTES.attachment, 'document'), mediaType: mediaTypeOf(file) });
}

function ref(db: Db, r: string, name: string): number {
  try {
    return resolveRef(db, r);
  } catch (e) {
    if (e instanceof RefError) throw new RefError(`${name} ${r}: ${e.message}`);
    throw e;
  }
}

function assertionLine(a: AssertionInfo): string {
  const doc = a.document.fileName ? `${a.document.fileName} (sha256 ${a.document.sha256})` : `reference "${a.document.reference}"`;
  const state = a.status === 'retracted' ? `RETRACTED ${a.retractedAt} by ${a.retractedBy ?? '?'}: ${a.retractionReason}` : 'active';
  return `assertion ${a.id} [${a.fact}, ${state}]: ${a.text}\n  document: ${doc}${a.cite ? `, ${a.cite}` : ''}\n  why: ${a.reason}\n  by ${a.actor ?? '?'} at ${a.createdAt}\n`;
}

/** Runs an assertion write; a fact the database refuses as input is a usage error naming its argument. */
function record(db: Db, io: CliIo, values: { json?: boolean }, run: () => AssertionInfo, extra: (a: AssertionInfo) => Record<string, unknown> = () => ({})): number {
  let a: AssertionInfo;
  try {
    a = run();
  } catch (e) {
    if (e instanceof AssertionError && e.code === 'invalid-input') throw new UsageError(`--${e.field ?? 'input'}: ${e.message}`);
    throw e;
  }
  if (values.json) printJson(io, { assertion: a, ...extra(a) });
  else io.stdout(assertionLine(a) + Object.entries(extra(a)).map(([k, v]) => `${k}: ${String(v)}\n`).join(''));
  void db;
  return 0;
}

export const assertCommand: Command = {
  name: 'assert',
  summary: 'Facts found in a document (a link, the holder of an undisclosed part, a location, a new entity, a kind, a listing): add, list, retract',
  usage: Object.values(usages).join('\n       '),
  async run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'link': {
        const u = usages.link;
        const { values, positionals } = parse(rest, { ...common, share: { type: 'string' }, kind: { type: 'string' }, basis: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 2) throw new UsageError(`OWNER_REF and OWNED_REF expected\nusage: ${u}`);
        const kind = oneOf(values.kind, ASSERTED_LINK_KINDS, '--kind', u) ?? 'shares';
        let share = null;
        if (values.share !== undefined || kind !== 'control') {
          const parsed = parseShare(required(values.share, '--share', u));
          if ('error' in parsed) throw new UsageError(`--share: ${parsed.error}\nusage: ${u}`);
          share = parsed.share;
        }
        const startDate = dateOption(values.from, '--from') ?? null;
        const endDate = dateOption(values.to, '--to') ?? null;
        if (startDate && endDate && endDate < startDate) throw new UsageError(`--to (${endDate}) is before --from (${startDate})`);
        const why = required(values.why, '--why', u);
        const doc = documentOf(values, u);
        return withCaseWrite(dbFile, io, (db) => {
          const fact: AssertedFact = {
            fact: 'link', ownerId: ref(db, positionals[0]!, 'OWNER_REF'), ownedId: ref(db, positionals[1]!, 'OWNED_REF'), kind,
            controlBasis: kind === 'control' ? ((values.basis as 'board' | undefined) ?? 'other') : null, share, stated: values.share ?? 'control', startDate, endDate,
          };
          return record(db, io, values, () => addAssertion(db, { fact, document: doc(), cite: values.cite ?? null, reason: why, actor: actorOf(values.actor, io) }));
        });
      }
      case 'location': {
        const u = usages.location;
        const { values, positionals } = parse(rest, { ...common, country: { type: 'string' }, role: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${u}`);
        const code = country(values.country, u);
        const role = oneOf(required(values.role, '--role', u), ASSERTED_ROLES, '--role', u)!;
        const why = required(values.why, '--why', u);
        const doc = documentOf(values, u);
        return withCaseWrite(dbFile, io, (db) => {
          const fact: AssertedFact = { fact: 'location', entityId: ref(db, positionals[0]!, 'REF'), role, code };
          return record(db, io, values, () => addAssertion(db, { fact, document: doc(), cite: values.cite ?? null, reason: why, actor: actorOf(values.actor, io) }));
        });
      }
      case 'entity': {
        const u = usages.entity;
        const { values, positionals } = parse(rest, { ...common, name: { type: 'string' }, kind: { type: 'string' }, id: { type: 'string', multiple: true }, country: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${u}`);
        const name = required(values.name, '--name', u);
        const kind = oneOf(required(values.kind, '--kind', u), ASSERTED_ENTITY_KINDS, '--kind', u)!;
        const identifiers = (values.id ?? []).map((i) => {
          const k = i.indexOf(':');
          if (k <= 0 || k === i.length - 1) throw new UsageError(`--id must be SCHEME:VALUE (e.g. lei:5299…), got "${i}"\nusage: ${u}`);
          return { scheme: i.slice(0, k), value: i.slice(k + 1) };
        });
        const code = values.country === undefined ? null : country(values.country, u);
        const why = required(values.why, '--why', u);
        const doc = documentOf(values, u);
        return withCaseWrite(dbFile, io, (db) => {
          const fact: AssertedFact = { fact: 'entity', name, kind, identifiers, country: code };
          // the new entity's REF: its first identifier given, else the one the assertion gives it
          const newRef = (a: AssertionInfo) => ({ ref: identifiers[0] ? `${identifiers[0].scheme.toLowerCase()}:${(a.content as { identifiers: { value: string }[] }).identifiers[0]!.value}` : `asserted:${a.id}`, entityId: a.entityId });
          return record(db, io, values, () => addAssertion(db, { fact, document: doc(), cite: values.cite ?? null, reason: why, actor: actorOf(values.actor, io) }), newRef);
        });
      }
      case 'kind': {
        const u = usages.kind;
        const { values, positionals } = parse(rest, { ...common, kind: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${u}`);
        const kind = oneOf(required(values.kind, '--kind', u), ASSERTED_ENTITY_KINDS, '--kind', u)!;
        const why = required(values.why, '--why', u);
        const doc = documentOf(values, u);
        return withCaseWrite(dbFile, io, (db) => {
          const fact: AssertedFact = { fact: 'kind', entityId: ref(db, positionals[0]!, 'REF'), kind };
          return record(db, io, values, () => addAssertion(db, { fact, document: doc(), cite: values.cite ?? null, reason: why, actor: actorOf(values.actor, io) }));
        });
      }
      case 'listed': {
        const u = usages.listed;
        const { values, positionals } = parse(rest, { ...common, list: { type: 'string' }, topic: { type: 'string', multiple: true } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one REF expected\nusage: ${u}`);
        const list = required(values.list, '--list', u);
        // the policies match topics exactly (restrictTopics): without --topic, the presets' `sanction`
        const topics = (values.topic ?? [DEFAULT_LISTED_TOPIC]).map((t) => {
          const c = checkTopic(t);
          if ('error' in c) throw new UsageError(`--topic: ${c.error}\nusage: ${u}`);
          return c.topic;
        });
        const why = required(values.why, '--why', u);
        const doc = documentOf(values, u);
        return withCaseWrite(dbFile, io, (db) => {
          const fact: AssertedFact = { fact: 'listed', entityId: ref(db, positionals[0]!, 'REF'), list: list.trim(), topics };
          return record(db, io, values, () => addAssertion(db, { fact, document: doc(), cite: values.cite ?? null, reason: why, actor: actorOf(values.actor, io) }));
        });
      }
      case 'list': {
        const u = usages.list;
        const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${u}`);
        return withCaseDb(dbFile, (db) => {
          const all = listAssertions(db);
          if (values.json) printJson(io, { assertions: all });
          else if (all.length === 0) io.stdout('no assertions\n');
          else io.stdout(table([['ID', 'FACT', 'STATUS', 'DOCUMENT', 'BY', 'AT', 'WHAT'], ...all.map((a) => [String(a.id), a.fact, a.status, a.document.fileName ?? a.document.reference ?? '', a.actor ?? '', a.createdAt, a.text])]));
          return 0;
        });
      }
      case 'retract': {
        const u = usages.retract;
        const { values, positionals } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' }, actor: { type: 'string' }, why: { type: 'string' } }, u);
        const dbFile = requireDb(values.db, u);
        if (positionals.length !== 1) throw new UsageError(`exactly one ASSERTION_ID expected\nusage: ${u}`);
        if (!/^\d+$/.test(positionals[0]!)) throw new UsageError(`ASSERTION_ID must be a whole number, got "${positionals[0]}"\nusage: ${u}`);
        const why = required(values.why, '--why', u);
        return withCaseWrite(dbFile, io, (db) => record(db, io, values, () => retractAssertion(db, Number(positionals[0]), why, actorOf(values.actor, io))));
      }
      default:
        throw new UsageError(`unknown or missing subcommand${sub ? ` "${sub}"` : ''}: link, location, entity, kind, listed, list or retract\nusage: ${Object.values(usages).join('\n       ')}`);
    }
  },
};
