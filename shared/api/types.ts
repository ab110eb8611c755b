// Data shapes that cross the API boundary. Plain JSON: no classes, no Dates, no bigints, so the
// same values travel over Electron IPC, HTTP and the in-process CLI.
import type { ShareInterval } from '../domain/model';

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
  elapsedMs: number;
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
export type { VerdictReport as VerdictResult, MethodVerdict, ShareBounds as ShareRange, EvidencePath, Gap, Finding } from '../domain/engine';
export type VerdictValue = 'restricted' | 'clear' | 'indeterminate';

export interface PolicySummary {
  name: string;
  preset: string;
  title: string;
  sha256: string;
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
  status: string;
  policyName: string | null;
  verdict: VerdictValue | null;
  decision: { kind: 'confirm' | 'override'; verdict: VerdictValue; justification: string | null; decidedAt: string | null } | null;
  notes: { text: string; at: string | null }[];
  createdAt: string | null;
  reports: { path: string; signedAt: string | null }[];
  [extra: string]: unknown;
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

export interface ScreenRow {
  ref: string;
  name: string | null;
  entityId: number | null;
  verdict: VerdictValue | 'not-found' | 'ambiguous' | 'invalid' | 'error';
  control: VerdictValue | null;
  controlShare: string | null;
  lookThrough: VerdictValue | null;
  lookThroughShare: string | null;
  reason: string;
}

export interface ScreenProgressEvent {
  jobId: string;
  done: number;
  total: number;
  elapsedMs: number;
  etaMs: number | null;
}

export interface ScreenResult {
  jobId: string;
  rows: ScreenRow[];
  policyName: string;
  elapsedMs: number;
}

export interface OpenedFile {
  /** Where the file can be opened: an URL on the local server (browser mode), or null when the OS opened it. */
  url: string | null;
}
