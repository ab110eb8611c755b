// Data shapes that cross the API boundary. Plain JSON: no classes, no Dates, no bigints, so the
// same values travel over Electron IPC, HTTP and the in-process CLI.
import type { ShareInterval } from '../domain/model';
import type { Verdict, VerdictReport } from '../domain/engine';
import type { AssertedFact, AssertionFactKind } from '../domain/assertions';

export type { ShareInterval };

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser' | 'test';
  caseFile: string | null;
  isDemo: boolean;
  /** Which backend modules this build has; the UI hides or explains what is missing. */
  features: { verdict: boolean; policies: boolean; cases: boolean; reports: boolean; identity: boolean; screening: boolean };
  dataDir: string;
}

export interface RecentCase {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

export interface SourceInfo {
  id: number;
  fileName: string;
  sha256: string;
  size: number;
  format: string;
  dataDate: string | null;
  importedAt: string;
  records: number;
  entities: number;
  links: number;
  markers: number;
  deletions: number;
}

export interface CaseOverview {
  path: string;
  name: string;
  isDemo: boolean;
  sizeBytes: number;
  counts: { entities: number; links: number; markers: number; sources: number; cases: number };
  sources: SourceInfo[];
  /** A few entities worth starting from: the ones with the most links. */
  suggestions: EntityHit[];
}

export interface EntityHit {
  id: number;
  name: string;
  kind: string;
  countries: string[];
  identifiers: string[];
  /** The name or identifier that matched the query. */
  matched: string;
  /**
   * How it matched (entity.search): an identifier, the name as typed, the name's transliteration
   * into Latin letters ("OOO Gazprom" for "ООО Газпром"), or a similar spelling (a typo).
   */
  how?: 'identifier' | 'name' | 'transliteration' | 'similar';
  /**
   * When entity resolution merged this entity with others: the group's canonical entity (this
   * entity's own id when it stands for the group). Absent otherwise.
   */
  canonicalId?: number;
}

export interface SourceRef {
  sourceId: number;
  fileName: string;
  sha256: string;
  recordRef: string;
}

export interface LinkInfo {
  id: number;
  ownerId: number;
  ownerName: string;
  ownedId: number;
  ownedName: string;
  kind: string;
  controlBasis: string | null;
  share: ShareInterval | null;
  shareText: string;
  stated: string;
  isSummary: boolean;
  startDate: string | null;
  endDate: string | null;
  status: string;
  registrationStatus: string | null;
  isCurrent: boolean;
  source: SourceRef;
}

export interface MarkerInfo {
  id: number;
  entityId: number;
  category: string;
  scope: string;
  reason: string;
  detail: string | null;
  share: ShareInterval | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
  isCurrent: boolean;
  source: SourceRef;
}

export interface RecordHistoryInfo {
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  statedBy: {
    sourceId: number;
    fileName: string;
    recordRef: string;
    /** dropped: a newer full file of the same kind no longer contains the record (the facts stay) */
    action: 'insert' | 'update' | 'unchanged' | 'delete' | 'dropped';
    /** for an update: the fields that differ from what the record said before */
    differs: string[] | null;
    /** for an update: per differing field, what the record said before and what this source says (short text) */
    changes: { field: string; before: string; after: string }[] | null;
  }[];
}

export interface EntityInfo {
  id: number;
  name: string;
  kind: string;
  status: string | null;
  registrationStatus: string | null;
  category: string | null;
  isPlaceholder: boolean;
  /** which record each shown value comes from (a registry's over an investigator CSV's; docs/VERDICT.md) */
  valueSources: Record<'name' | 'status' | 'kind', SourceRef | null>;
  topics: string[];
  attributes: Record<string, string>;
  names: { name: string; type: string; lang: string | null; source: SourceRef }[];
  identifiers: { scheme: string; value: string; source: SourceRef | null }[];
  countries: { role: string; code: string | null; subdivision: string | null; text: string; source: SourceRef }[];
  owners: LinkInfo[];
  holdings: LinkInfo[];
  markers: MarkerInfo[];
  sources: SourceInfo[];
  /**
   * Which source said what (docs/DATABASE.md, record history): the entity's own records, the links
   * to and from it and its markers, each with every source that stated it, what differed where a
   * source changed it, and the sources that deleted it or no longer contained it.
   */
  history: RecordHistoryInfo[];
  /**
   * Entity resolution: the entity that stands for this one's group (itself when not merged) and the
   * other entities merged with it, with the evidence. Verdicts, the graph and the trace read the
   * group as one entity; the facts above are this entity's own.
   */
  resolution: EntityResolution;
  asOf: string;
}

/** Another entity that may be the same as the one asked about (names and countries agree, no identifier proves it). */
export interface MatchCandidate {
  id: number;
  name: string;
  kind: string;
  countries: string[];
  identifiers: string[];
  /** 0..1: how alike the two are (legal names, kinds, exact spelling). */
  score: number;
  reason: string;
}

export interface EntityResolution {
  canonicalId: number;
  /** The other members of the group (empty when the entity is not merged). */
  sameAs: { id: number; name: string; identifiers: string[] }[];
  /** Why they are one entity: identifier proofs and investigators' decisions. */
  evidence: { a: number; b: number; method: 'identifier' | 'decision'; reason: string }[];
}

export interface GraphNode {
  id: string;
  /** Entity id; absent for a cluster node. */
  entityId?: number;
  label: string;
  kind: string;
  countries: string[];
  /** Levels above (negative) and below (positive) the subject, for the hierarchical layout. */
  level: number;
  isSubject: boolean;
  hasUndisclosed: boolean;
  /** More links exist beyond this node that were not loaded (click to expand). */
  isExpandable: boolean;
  /**
   * Other entities merged into this one by entity resolution (the same company as another record
   * or source); the node carries their links, countries and markers too. Absent when none.
   */
  mergedIds?: number[];
  /** A cluster stands for `clusterSize` entities not shown ("and 340 more"). */
  clusterSize?: number;
  clusterOf?: { entityId: number; direction: 'up' | 'down' };
}

export interface GraphEdge {
  id: string;
  linkId?: number;
  from: string;
  to: string;
  kind: string;
  /** the relationship in words (shared relationshipWords) */
  label: string;
  /** the relationship exactly as the source states it (a registry code), shown as the tooltip */
  stated?: string;
  isSummary: boolean;
  isCurrent: boolean;
  /** The link is an investigator's assertion (issue 14), not a registry's: its id. Absent otherwise. */
  assertionId?: number;
}

export interface GraphResult {
  subjectId: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  asOf: string;
  isTruncated: boolean;
}

export interface TraceInfo {
  subject: number;
  direction: 'up' | 'down';
  asOf: string;
  depth: number;
  nodes: Record<string, { id: number; name: string; kind: string; countries: string[]; hasUndisclosed: boolean }>;
  links: Record<string, LinkInfo>;
  chains: { entities: number[]; links: number[]; end: 'top' | 'cycle' | 'depth'; isMajorityChain: boolean }[];
  children: Record<string, number[]>;
  computedUltimateParents: number[];
  reportedUltimateParents: { id: number; linkId: number }[];
  findings: { code: string; text: string }[];
  truncated: boolean;
}

export interface FormatInfo {
  id: string;
  label: string;
}

export interface DetectedFile {
  path: string;
  name: string;
  size: number;
  format: string | null;
  formatLabel: string | null;
  error: string | null;
  /** no format recognised the content: the file can still be imported in a format the user names (`import.start` `formats`) */
  needsFormat: boolean;
  /** a zip archive: its entries, each detected on its own (the chosen format applies to those with none) */
  entries?: { name: string; format: string | null; formatLabel: string | null; error: string | null }[];
}

export interface ImportProgressEvent {
  jobId: string;
  file: string;
  fileIndex: number;
  fileCount: number;
  bytes: number;
  totalBytes: number;
  records: number;
  expectedRecords: number | null;
  elapsedMs: number;
  recordsPerSecond: number;
  bytesPerSecond: number;
  etaMs: number | null;
  /** `queued`: waiting for another import of this case database to finish (`waitingFor` says which). */
  phase: 'queued' | 'starting' | 'importing' | 'committing' | 'done';
  /** While queued: "waiting for the import of X to finish…". */
  waitingFor?: string;
}

/** What `sources.remove` did (docs/CLI.md, "sources remove"). */
export interface SourceRemoval {
  sourceId: number;
  fileName: string;
  sha256: string;
  removed: number;
  fellBack: number;
  flaggedCases: string[];
}

export interface ImportedFile {
  sourceId: number;
  file: string;
  format: string;
  sha256: string;
  size: number;
  dataDate: string | null;
  records: number;
  entities: number;
  links: number;
  markers: number;
  deletions: number;
  /** records whose key no source had stated before / that changed / stated the same again */
  inserted: number;
  changed: number;
  unchanged: number;
  /** records a full file of the same kind stated before and this one no longer contains (docs/DATABASE.md) */
  dropped: number;
  elapsedMs: number;
}

/** A file not imported because the case database already holds a source read from the same bytes. */
export interface SkippedFile {
  /** `name.xml`, `archive.zip` (the whole archive) or `archive.zip/entry`. */
  file: string;
  /** The path as given to import.start (to import it again with `again: true`). */
  path: string;
  sha256: string;
  sourceId: number;
  sourceIds: number[];
  importedAt: string;
  /** `FILE: already imported on DATE as source #N`. */
  message: string;
}

/** A file of a batch that was not imported (the batch's other files were, each atomically). */
export interface ImportFileFailure {
  file: string | null;
  location: string | null;
  problem: string;
  message: string;
}

export interface ImportFailure {
  jobId: string;
  /** The file and the line or record the problem is in, when the importer knows them. */
  file: string | null;
  location: string | null;
  problem: string;
  message: string;
  isCancelled: boolean;
}

/** The verdict JSON contract of the engine (issue 3), exactly as shared/domain/engine states it. */
export type { MethodVerdict, ShareBounds as ShareRange, EvidencePath, Gap, Finding } from '../domain/engine';

/**
 * A verdict as verdict.compute returns it: the engine's report plus, when the verdict read
 * investigator assertions (issue 14), which ones and the verdict on registry data alone.
 */
export interface VerdictResult extends VerdictReport {
  assertions?: {
    used: AssertionInfo[];
    /** the same subject and policy with useAssertions false */
    withoutAssertions: { verdict: Verdict; methods: VerdictReport['methods']; reasons: string[] };
    /** "data alone: INDETERMINATE; with 2 assertions: RESTRICTED" */
    summary: string;
  };
}
export type VerdictValue = 'restricted' | 'clear' | 'indeterminate';

export interface PolicySummary {
  name: string;
  preset: string;
  title: string;
  sha256: string;
}

/** A policy saved under a name in the case database (the policy editor's "Save"). */
export interface SavedPolicy {
  name: string;
  /** The user policy object: a preset and the fields that override it. */
  policy: Record<string, unknown>;
  /** The effective policy's SHA-256 on the day it was saved. */
  sha256: string;
  savedAt: string;
  savedBy: string | null;
}

export interface EffectivePolicyInfo {
  preset: string;
  sha256: string;
  /** Every effective field (RULES.md §2), as the engine reads them. */
  fields: Record<string, unknown>;
}

export interface CaseRecord {
  id: string;
  subjectId: number;
  subjectName: string;
  /** The case's portable subject reference (its first identifier, e.g. lei:…). */
  subjectRef: string;
  /** The subject's identifiers (those the database holds now, else those frozen in the verdict). */
  identifiers: string[];
  status: string;
  policyName: string | null;
  policySha256: string | null;
  asOf: string | null;
  /** The computed verdict (frozen when the case was opened). */
  verdict: VerdictValue | null;
  decision: { kind: 'confirm' | 'override'; verdict: VerdictValue; justification: string | null; decidedAt: string | null; decidedBy: string | null } | null;
  notes: { text: string; at: string | null; author: string | null }[];
  createdAt: string | null;
  createdBy: string | null;
  reports: { path: string; signedAt: string | null }[];
  reportsSigned: number;
  evidenceCount: number;
  [extra: string]: unknown;
}

/** One event of a case, read from the audit log. */
export interface CaseTimelineEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  kind: 'opened' | 'verdict' | 'decision' | 'note' | 'attachment' | 'assertion' | 'report' | 'other';
  text: string;
  hash: string;
}

export interface CaseDetail extends CaseRecord {
  timeline: CaseTimelineEntry[];
  evidenceFiles: { id: number; fileName: string; mediaType: string | null; size: number; sha256: string; addedAt: string; addedBy: string | null }[];
  signedReports: { id: number; verdict: VerdictValue; signerName: string | null; signerCertSha256: string | null; pdfSha256: string; createdAt: string; isStored: boolean }[];
}

/** Who decisions and notes are attributed to: the signing identity, else the name given for this database. */
export interface Investigator {
  name: string | null;
  source: 'identity' | 'database' | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  summary: string;
  hash: string;
}

export interface IdentityStatus {
  hasIdentity: boolean;
  signer: { name: string; org: string | null; email: string | null; certSha256: string; notAfter: string } | null;
  /** The passphrase is kept by the OS keychain (Electron safeStorage) or for this session only. */
  passphraseStorage: 'os' | 'session' | 'none';
  isPassphraseStored: boolean;
}

export interface TrustedSigner {
  certSha256: string;
  name: string;
  addedAt: string;
  /** 'own-identity': added when this identity was created or imported in the app. */
  source: 'user' | 'own-identity';
}

export interface TrustList {
  signers: TrustedSigner[];
}

export interface SignedReport {
  path: string;
  fileName: string;
  sha256: string;
  size: number;
  verdict: VerdictValue;
}

export interface ReportCheck {
  /** The signature and the report are intact (says nothing about who the signer is: see signerTrusted). */
  isValid: boolean;
  /** 'valid': intact and signed by a signer in the trust list; 'valid-untrusted-signer': intact, signer not in it. */
  status: 'valid' | 'valid-untrusted-signer' | 'invalid';
  fileName: string;
  signer: { name: string; org: string | null; email: string | null; certSha256: string } | null;
  /** Whether the signer's certificate fingerprint is in the user's trust list; null without a readable signer. */
  signerTrusted: boolean | null;
  /** The name the user gave this signer in the trust list. */
  signerTrustedAs: string | null;
  signedAt: string | null;
  verdict: VerdictValue | null;
  subject: string | null;
  problems: string[];
  /** With a case database open: does the verdict still hold on today's data? */
  stillHolds: boolean | null;
  changes: string[];
}

/** A method's restricted share as bounds in percent (the export's min/max columns). */
export interface ScreenBounds {
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

export type ScreenVerdict = VerdictValue | 'not-found' | 'ambiguous' | 'invalid' | 'error';

export interface ScreenRow {
  /** Position in the job's results (0-based): what screen.resolve names. */
  index: number;
  /** The row of the list file (its header is row 1); null when every entity is screened. */
  line: number | null;
  /** The reference or name as the list gives it ('' when every entity is screened). */
  input: string;
  /** How the row found its subject: by reference, by name, chosen by the investigator (screen.resolve), or every entity. */
  match: 'ref' | 'name' | 'chosen' | 'all' | 'ambiguous' | 'not-found' | 'invalid';
  ref: string;
  name: string | null;
  entityId: number | null;
  /** The subject's first identifiers (scheme:value). */
  identifiers: string[];
  verdict: ScreenVerdict;
  control: VerdictValue | null;
  controlShare: string | null;
  controlBounds: ScreenBounds | null;
  lookThrough: VerdictValue | null;
  lookThroughShare: string | null;
  lookThroughBounds: ScreenBounds | null;
  reason: string;
  /** An ambiguous row's candidates, to choose from (screen.resolve). */
  candidates?: { id: number; name: string; identifiers: string[] }[];
}

/** Rows per outcome: the screening's summary. */
export type ScreenCounts = Record<ScreenVerdict, number>;

export interface ScreenProgressEvent {
  jobId: string;
  done: number;
  total: number;
  elapsedMs: number;
  etaMs: number | null;
  /** The rows screened so far, per outcome. */
  counts: ScreenCounts;
}

/** The end of a screening: its summary (the rows are read by pages, screen.rows). */
export interface ScreenResult {
  jobId: string;
  total: number;
  counts: ScreenCounts;
  policyName: string;
  policySha256: string;
  asOf: string;
  /** The data dates of the case database's sources ("2023-06-05", or "2023-06-05/2024-12-01" for several). */
  dataDate: string;
  elapsedMs: number;
}

export interface ScreenPage {
  /** Rows matching the filter. */
  total: number;
  rows: ScreenRow[];
  counts: ScreenCounts;
}

export interface OpenedFile {
  /** Where the file can be opened: an URL on the local server (browser mode), or null when the OS opened it. */
  url: string | null;
}

// ---- what changed after an update (`changes.list`, watchlists; docs/API.md)

export interface CheckedVerdict {
  verdict: VerdictValue;
  control: { verdict: string; share: string };
  lookThrough: { verdict: string; share: string };
}

export interface ChangeFactInfo {
  /** link added, link removed, share changed, link changed, marker added/removed/changed, entity added/changed/removed, source removed */
  change: string;
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
  entity: { id: number; name: string };
  /** links: the owner, and the link's kind */
  owner?: { id: number; name: string };
  linkKind?: string;
  text: string;
  source: { id: number; fileName: string; recordRef: string | null };
  /** change "source removed": the removed source (`source` names it too), and what became of the object */
  removedSource?: RemovedSourceInfo;
  /** removed: no other source states the object; fell back: another source's statement of it speaks again */
  outcome?: 'removed' | 'fell back';
  fellBackTo?: { id: number; fileName: string | null };
}

/** A source removal (`sources remove`): the data state it made and the source it removed. */
export interface RemovedSourceInfo {
  state: number;
  id: number;
  fileName: string;
  format: string;
  sha256: string;
  removedAt: string;
}

export interface VerdictChangeInfo {
  target: 'case' | 'watchlist';
  caseId?: string;
  watchlist?: string;
  row?: number;
  input?: string;
  status?: 'open' | 'decided' | 'reported';
  stale?: boolean;
  subject: { id: number; name: string; ref: string | null };
  policy: { name: string; sha256: string };
  before: CheckedVerdict;
  after: CheckedVerdict;
  facts: ChangeFactInfo[];
}

export interface ChangesInfo {
  /** sources: imported in the window; removals: the sources removed in it (data states in one sequence with source ids) */
  since: { sourceId: number | null; sources: { id: number; fileName: string; importedAt: string; sha256: string }[]; removals: RemovedSourceInfo[] };
  checkedThrough: number;
  changes: VerdictChangeInfo[];
  staleCases: string[];
}

export interface WatchlistSummary {
  name: string;
  rows: number;
  listFile: string | null;
  createdAt: string;
  createdBy: string | null;
  policy: { name: string; sha256: string };
  /** when its rows' verdicts were last computed (saved, or re-screened after an import); null: no row resolved */
  lastScreened: string | null;
}

/** A document an assertion cites: a file stored in the case database, or a reference. */
export interface AssertionDocument {
  id: number;
  /** the file's name; null for a reference */
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
  /** of the file's bytes, or of the reference text */
  sha256: string;
  /** a URL, a registry extract number…; null for a file */
  reference: string | null;
  addedAt: string;
  addedBy: string | null;
}

/** A fact an investigator asserted from a document (issue 14; docs/CLI.md, ownerscope assert). */
export interface AssertionInfo {
  id: number;
  fact: AssertionFactKind;
  content: AssertedFact;
  /** the entity the fact is about (the owned entity of a link, the new entity of an entity fact) */
  entityId: number;
  /** the owner, for a link */
  ownerId: number | null;
  documentId: number;
  document: AssertionDocument;
  /** where in the document: a page, a section */
  cite: string | null;
  reason: string;
  actor: string | null;
  createdAt: string;
  sourceId: number;
  status: 'active' | 'retracted';
  retractedAt: string | null;
  retractedBy: string | null;
  retractionReason: string | null;
  /** "investigator assertion" */
  sourceKind: string;
  /** the fact in words: "X (#3) holds 60% (shares) of Y (#7)" */
  text: string;
}
