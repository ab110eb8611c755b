// The API contract, typed once: method name → input → output, the push events, and a runtime
// validator per method input. Every transport (Electron IPC, HTTP in browser mode, in-process)
// carries exactly these methods; the backend handler table is checked against `Api`.
import type * as T from './types';
import { arr, bool, DATE, int, nullable, obj, oneOf, opt, record, str, type Validator } from './validate';
import { ASSERTED_ENTITY_KINDS, ASSERTED_LINK_KINDS, ASSERTED_ROLES, MAX_TOPICS } from '../domain/assertions';
import { CONTROL_BASES } from '../domain/model';

type M<I, O> = { input: I; output: O };
type Empty = Record<string, never>;

export const PATH = str({ min: 1, max: 4096 });
const REF = str({ min: 1, max: 500 });
const JOB = str({ min: 1, max: 64 });
/** A user policy: a preset name ("ofac-50") or an object overriding preset fields. */
export type PolicyInput = string | Record<string, unknown>;
const POLICY: Validator<PolicyInput> = (v, f) => (typeof v === 'string' ? str({ min: 1, max: 200 })(v, f) : record(v, f));
/** A certificate SHA-256: 64 hex digits, optionally in pairs separated by colons or spaces. */
const FINGERPRINT = str({ min: 64, max: 95, pattern: /^[0-9A-Fa-f]{2}([:\s]?[0-9A-Fa-f]{2}){31}$/, hint: 'a certificate SHA-256 (64 hex digits)' });
const VERDICT = oneOf(['restricted', 'clear', 'indeterminate'] as const);
/**
 * What every assertion cites: a document (`document`, the path of a file uploaded with
 * file.upload or picked with file.pick) or a `reference` (a URL, a registry extract number), where
 * in it (`cite`), and why (`why`). Exactly one of document and reference; the handler says so.
 */
export interface AssertionDocumentInput {
  document?: string;
  reference?: string;
  cite?: string;
  why: string;
}
const WHY = str({ min: 1, max: 4000 });
const ASSERTION_DOCUMENT = { document: opt(PATH), reference: opt(str({ min: 1, max: 4000 })), cite: opt(str({ max: 4000 })), why: WHY };
const COUNTRY = str({ min: 2, max: 6, pattern: /^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, hint: 'an ISO 3166-1 alpha-2 country code (e.g. CN)' });

export interface Api {
  'app.info': M<Empty, T.AppInfo>;

  // case databases (one SQLite file each)
  'case.recent': M<Empty, T.RecentCase[]>;
  'case.create': M<{ path: string }, T.CaseOverview>;
  'case.open': M<{ path: string }, T.CaseOverview>;
  'case.demo': M<Empty, T.CaseOverview>;
  'case.close': M<Empty, null>;
  'case.overview': M<Empty, T.CaseOverview>;

  // cases inside the database: a subject under investigation, its verdict, decision, notes
  'case.list': M<Empty, T.CaseRecord[]>;
  'case.get': M<{ caseId: string }, T.CaseDetail>;
  'case.attach': M<{ caseId: string; path: string }, T.CaseDetail>;
  /** A signed report the case database stores, written out so that it can be opened or verified. */
  'case.reportFile': M<{ caseId: string; reportId: number }, { path: string; fileName: string }>;
  'investigator.get': M<Empty, T.Investigator>;
  'investigator.set': M<{ name: string }, T.Investigator>;
  'case.start': M<{ ref: string; policy?: PolicyInput; asOf?: string }, T.CaseRecord>;
  'case.decide': M<{ caseId: string; decision: 'confirm' | 'override'; verdict?: T.VerdictValue; justification?: string }, T.CaseRecord>;
  'case.note': M<{ caseId: string; text: string }, T.CaseRecord>;
  'case.audit': M<Empty, { entries: T.AuditEntry[]; isIntact: boolean; problems: string[] }>;

  // files
  'file.upload': M<{ uploadId?: string; name: string; dataBase64: string; isLast: boolean }, { uploadId: string; path: string | null }>;
  'file.pick': M<{ purpose: 'import' | 'report' | 'list' | 'case-open' | 'case-create' | 'document' }, { paths: string[] }>;
  'file.open': M<{ path: string }, T.OpenedFile>;

  // import
  'import.formats': M<Empty, T.FormatInfo[]>;
  'import.detect': M<{ paths: string[] }, T.DetectedFile[]>;
  'import.start': M<{ paths: string[]; format?: string; formats?: (string | null)[]; again?: boolean }, { jobId: string }>;
  'import.cancel': M<{ jobId: string }, { isCancelling: boolean }>;
  'sources.list': M<Empty, T.SourceInfo[]>;
  'sources.remove': M<{ sourceId: number }, T.SourceRemoval>;

  // data
  'entity.search': M<{ query: string; limit?: number; offset?: number }, T.EntityHit[]>;
  'entity.get': M<{ ref: string; asOf?: string }, T.EntityInfo>;
  'graph.neighbourhood': M<
    { ref: string; up?: number; down?: number; maxPerNode?: number; asOf?: string },
    T.GraphResult
  >;
  'trace.get': M<{ ref: string; direction: 'up' | 'down'; depth?: number; asOf?: string }, T.TraceInfo>;

  // entity resolution: which records are one entity
  'resolution.candidates': M<{ ref: string; limit?: number }, T.MatchCandidate[]>;
  /** Records the investigator's decision on two entities; returns the resolution of `refA` after it. */
  'resolution.decide': M<{ refA: string; refB: string; decision: 'same' | 'not-same'; why?: string }, T.EntityResolution>;

  // investigator-asserted facts (issue 14): found in a document, used by verdicts like registry facts
  /** Every assertion of the case database, or those about one entity (as owner or owned too). */
  'assertion.list': M<{ ref?: string }, T.AssertionInfo[]>;
  'assertion.link': M<AssertionDocumentInput & { owner: string; owned: string; share?: string; kind?: (typeof ASSERTED_LINK_KINDS)[number]; basis?: (typeof CONTROL_BASES)[number]; from?: string; to?: string }, T.AssertionInfo>;
  'assertion.location': M<AssertionDocumentInput & { ref: string; country: string; role: (typeof ASSERTED_ROLES)[number] }, T.AssertionInfo>;
  /** A new entity the registries do not have; `ref` names it for further assertions. */
  'assertion.entity': M<AssertionDocumentInput & { name: string; kind: (typeof ASSERTED_ENTITY_KINDS)[number]; ids?: string[]; country?: string }, { assertion: T.AssertionInfo; ref: string; entityId: number }>;
  /** What an existing entity is (e.g. a state body): the verdict reads it as that kind. */
  'assertion.kind': M<AssertionDocumentInput & { ref: string; kind: (typeof ASSERTED_ENTITY_KINDS)[number] }, T.AssertionInfo>;
  /** An existing entity is on a list (`list`, as the document names it) with these topics (default `sanction`). */
  'assertion.listed': M<AssertionDocumentInput & { ref: string; list: string; topics?: string[] }, T.AssertionInfo>;
  'assertion.retract': M<{ id: number; why: string }, T.AssertionInfo>;

  // verdicts
  'policy.list': M<Empty, T.PolicySummary[]>;
  'policy.get': M<{ policy: PolicyInput; asOf?: string }, T.EffectivePolicyInfo>;
  /** Named policies saved in the open case database. */
  'policy.saved': M<Empty, T.SavedPolicy[]>;
  /** Saves a user policy under a name (replacing one of that name); it is validated first. */
  'policy.save': M<{ name: string; policy: Record<string, unknown> }, T.SavedPolicy>;
  'policy.forget': M<{ name: string }, T.SavedPolicy[]>;
  'verdict.compute': M<{ ref: string; policy?: PolicyInput; asOf?: string }, T.VerdictResult>;
  'screen.start': M<{ path?: string; isAll?: boolean; policy?: PolicyInput; asOf?: string }, { jobId: string }>;
  'screen.cancel': M<{ jobId: string }, { isCancelling: boolean }>;
  /** A page of a screening's rows, optionally only one outcome or rows containing `filter`. */
  'screen.rows': M<{ jobId: string; offset?: number; limit?: number; verdict?: T.ScreenVerdict; filter?: string }, T.ScreenPage>;
  /** Screens the entity the investigator chose for an ambiguous (or any) row; returns the row. */
  'screen.resolve': M<{ jobId: string; index: number; ref: string }, T.ScreenRow>;
  /** Writes the results as CSV; `bom` starts the file with a UTF-8 byte order mark (Excel). */
  'screen.export': M<{ jobId: string; bom?: boolean }, { path: string; url: string | null }>;

  // what changed after an update: re-checks the watched verdicts, then lists those that moved
  'export.run': M<{ format: 'csv' | 'graphml' | 'gexf' | 'ftm' | 'bods'; ref?: string; caseId?: string; up?: number; down?: number; policy?: PolicyInput; asOf?: string }, { path: string; url: string | null; entities: number; links: number; markers: number }>;
  'changes.list': M<{ sinceSourceId?: number; sinceDate?: string }, T.ChangesInfo>;
  'watchlist.list': M<Empty, T.WatchlistSummary[]>;
  /** Screens a list file and saves it under a name; a name in use is refused unless `replace`. */
  'watchlist.save': M<{ name: string; path: string; policy?: PolicyInput; asOf?: string; replace?: boolean }, T.WatchlistSummary>;

  // signing identity and reports
  'identity.status': M<Empty, T.IdentityStatus>;
  'identity.create': M<{ name: string; org?: string; email?: string; passphrase: string; remember?: boolean }, T.IdentityStatus>;
  'identity.import': M<{ path: string; passphrase: string; remember?: boolean }, T.IdentityStatus>;
  'identity.forget': M<Empty, T.IdentityStatus>;
  /** The user's trust list of signer certificate fingerprints (docs/REPORTS.md, Trust). */
  'trust.list': M<Empty, T.TrustList>;
  'trust.add': M<{ certSha256: string; name: string }, T.TrustList>;
  'trust.remove': M<{ certSha256: string }, T.TrustList>;
  'report.sign': M<{ caseId: string; passphrase?: string }, T.SignedReport>;
  'report.verify': M<{ path: string }, T.ReportCheck>;
}

export type Method = keyof Api;
export type Input<K extends Method> = Api[K]['input'];
export type Output<K extends Method> = Api[K]['output'];

const none = obj({});

export const validators: { [K in Method]: Validator<Input<K>> } = {
  'app.info': none,
  'case.recent': none,
  'case.create': obj({ path: PATH }),
  'case.open': obj({ path: PATH }),
  'case.demo': none,
  'case.close': none,
  'case.overview': none,
  'case.list': none,
  'case.get': obj({ caseId: str({ min: 1, max: 100 }) }),
  'case.attach': obj({ caseId: str({ min: 1, max: 100 }), path: PATH }),
  'case.reportFile': obj({ caseId: str({ min: 1, max: 100 }), reportId: int(1, 1_000_000_000) }),
  'investigator.get': none,
  'investigator.set': obj({ name: str({ min: 1, max: 200 }) }),
  'case.start': obj({ ref: REF, policy: opt(POLICY), asOf: opt(DATE) }),
  'case.decide': obj({
    caseId: str({ min: 1, max: 100 }),
    decision: oneOf(['confirm', 'override'] as const),
    verdict: opt(VERDICT),
    justification: opt(str({ max: 20_000 })),
  }),
  'case.note': obj({ caseId: str({ min: 1, max: 100 }), text: str({ min: 1, max: 20_000 }) }),
  'case.audit': none,
  'file.upload': obj({
    uploadId: opt(JOB),
    name: str({ min: 1, max: 255, pattern: /^[^/\\\0]+$/, hint: 'a file name without folders' }),
    dataBase64: str({ max: 16 * 1024 * 1024, pattern: /^[A-Za-z0-9+/]*={0,2}$/, hint: 'base64' }),
    isLast: bool,
  }),
  'file.pick': obj({ purpose: oneOf(['import', 'report', 'list', 'case-open', 'case-create', 'document'] as const) }),
  'file.open': obj({ path: PATH }),
  'import.formats': none,
  'import.detect': obj({ paths: arr(PATH, { min: 1, max: 100 }) }),
  'import.start': obj({ paths: arr(PATH, { min: 1, max: 100 }), format: opt(str({ min: 1, max: 50 })), formats: opt(arr(nullable(str({ min: 1, max: 50 })), { max: 100 })), again: opt(bool) }),
  'import.cancel': obj({ jobId: JOB }),
  'sources.list': none,
  'sources.remove': obj({ sourceId: int(1, Number.MAX_SAFE_INTEGER) }),
  'entity.search': obj({ query: str({ max: 500 }), limit: opt(int(1, 500)), offset: opt(int(0, 10_000)) }),
  'entity.get': obj({ ref: REF, asOf: opt(DATE) }),
  'graph.neighbourhood': obj({
    ref: REF,
    up: opt(int(0, 20)),
    down: opt(int(0, 20)),
    maxPerNode: opt(int(1, 1000)),
    asOf: opt(DATE),
  }),
  'trace.get': obj({ ref: REF, direction: oneOf(['up', 'down'] as const), depth: opt(int(1, 100)), asOf: opt(DATE) }),
  'resolution.candidates': obj({ ref: REF, limit: opt(int(1, 200)) }),
  'resolution.decide': obj({ refA: REF, refB: REF, decision: oneOf(['same', 'not-same'] as const), why: opt(str({ max: 2000 })) }),
  'assertion.list': obj({ ref: opt(REF) }),
  'assertion.link': obj({
    owner: REF, owned: REF, share: opt(str({ min: 1, max: 100 })), kind: opt(oneOf(ASSERTED_LINK_KINDS)), basis: opt(oneOf(CONTROL_BASES)),
    from: opt(DATE), to: opt(DATE), ...ASSERTION_DOCUMENT,
  }),
  'assertion.location': obj({ ref: REF, country: COUNTRY, role: oneOf(ASSERTED_ROLES), ...ASSERTION_DOCUMENT }),
  'assertion.entity': obj({
    name: str({ min: 1, max: 500 }), kind: oneOf(ASSERTED_ENTITY_KINDS),
    ids: opt(arr(str({ min: 3, max: 200, pattern: /^[^:]+:.+$/, hint: 'SCHEME:VALUE (e.g. lei:5299…)' }), { max: 20 })), country: opt(COUNTRY), ...ASSERTION_DOCUMENT,
  }),
  'assertion.kind': obj({ ref: REF, kind: oneOf(ASSERTED_ENTITY_KINDS), ...ASSERTION_DOCUMENT }),
  'assertion.listed': obj({
    ref: REF, list: str({ min: 1, max: 500 }),
    // the shape only: the rules (shared/domain/assertions checkTopic) refuse derived topics with their reason
    topics: opt(arr(str({ min: 1, max: 100, pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, hint: 'a topic: letters, digits and . _ : - (e.g. sanction, export.control)' }), { min: 1, max: MAX_TOPICS })),
    ...ASSERTION_DOCUMENT,
  }),
  'assertion.retract': obj({ id: int(1, Number.MAX_SAFE_INTEGER), why: WHY }),
  'policy.list': none,
  'policy.get': obj({ policy: POLICY, asOf: opt(DATE) }),
  'policy.saved': none,
  'policy.save': obj({ name: str({ min: 1, max: 200 }), policy: record }),
  'policy.forget': obj({ name: str({ min: 1, max: 200 }) }),
  'verdict.compute': obj({ ref: REF, policy: opt(POLICY), asOf: opt(DATE) }),
  'screen.start': obj({ path: opt(PATH), isAll: opt(bool), policy: opt(POLICY), asOf: opt(DATE) }),
  'screen.cancel': obj({ jobId: JOB }),
  'screen.rows': obj({
    jobId: JOB,
    offset: opt(int(0, 100_000_000)),
    limit: opt(int(1, 1000)),
    verdict: opt(oneOf(['restricted', 'clear', 'indeterminate', 'not-found', 'ambiguous', 'invalid', 'error'] as const)),
    filter: opt(str({ max: 500 })),
  }),
  'screen.resolve': obj({ jobId: JOB, index: int(0, 100_000_000), ref: REF }),
  'screen.export': obj({ jobId: JOB, bom: opt(bool) }),
  'export.run': obj({ format: oneOf(['csv', 'graphml', 'gexf', 'ftm', 'bods'] as const), ref: opt(REF), caseId: opt(str({ min: 1, max: 100 })), up: opt(int(0, 1000)), down: opt(int(0, 1000)), policy: opt(POLICY), asOf: opt(DATE) }),
  'changes.list': obj({ sinceSourceId: opt(int(1, Number.MAX_SAFE_INTEGER)), sinceDate: opt(DATE) }),
  'watchlist.list': none,
  'watchlist.save': obj({ name: str({ min: 1, max: 200 }), path: PATH, policy: opt(POLICY), asOf: opt(DATE), replace: opt(bool) }),
  'identity.status': none,
  'identity.create': obj({
    name: str({ min: 1, max: 200 }),
    org: opt(str({ max: 200 })),
    email: opt(str({ max: 200 })),
    passphrase: str({ min: 1, max: 1000 }),
    remember: opt(bool),
  }),
  'identity.import': obj({ path: PATH, passphrase: str({ min: 1, max: 1000 }), remember: opt(bool) }),
  'identity.forget': none,
  'trust.list': none,
  'trust.add': obj({ certSha256: FINGERPRINT, name: str({ min: 1, max: 200 }) }),
  'trust.remove': obj({ certSha256: FINGERPRINT }),
  'report.sign': obj({ caseId: str({ min: 1, max: 100 }), passphrase: opt(str({ min: 1, max: 1000 })) }),
  'report.verify': obj({ path: PATH }),
};

export const METHODS = Object.keys(validators) as Method[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(validators, name);
}

/** Push events from the backend (import progress, screening progress). */
export interface Events {
  'import.progress': T.ImportProgressEvent;
  /** `skipped`: files not imported again (same SHA-256); `failed`: the files of the batch that were not imported, and why (the others were). */
  'import.done': { jobId: string; files: T.ImportedFile[]; skipped: T.SkippedFile[]; failed: T.ImportFileFailure[] };
  'import.failed': T.ImportFailure;
  'screen.progress': T.ScreenProgressEvent;
  'screen.done': T.ScreenResult;
  'screen.failed': { jobId: string; message: string; isCancelled: boolean };
  'case.changed': { caseFile: string | null };
  /** A case inside the open database changed (opened, decided, noted, attached, reported). */
  'case.updated': { caseId: string };
}

export type EventName = keyof Events;
export type EventMessage = { [K in EventName]: { event: K; data: Events[K] } }[EventName];

export const ERROR_CODES = [
  'invalid-input',
  'unknown-method',
  'no-case-open',
  'not-found',
  'import-error',
  'cancelled',
  'policy-error',
  'identity-error',
  'wrong-passphrase',
  'verify-error',
  'busy',
  'unavailable',
  'unauthorized',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** The offending input field, for `invalid-input`. */
  field?: string;
  /** For `internal`: the id under which the backend logged the failure's details. */
  errorId?: string;
}

export type Result<O> = { ok: true; value: O } | { ok: false; error: ApiError };

/** What the renderer is given: the only way it reaches the backend. */
export interface Transport {
  call<K extends Method>(method: K, input: Input<K>): Promise<Result<Output<K>>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

