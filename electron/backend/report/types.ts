import type { ListsConsulted } from '../../../shared/domain/engine';
// Input contract of the report. The verdict part mirrors the verdict JSON of the engine
// (shared/domain); it is typed loosely on purpose: the report shows and embeds whatever extra
// fields the engine adds, and must not break when it adds them.

export type VerdictValue = 'restricted' | 'clear' | 'indeterminate';

/** A share interval in percent, as the engine states it. */
export interface ShareRange {
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

export interface MethodResult {
  verdict: VerdictValue;
  restrictedShare: ShareRange;
}

export interface LinkSource {
  fileName: string;
  sha256: string;
  recordRef?: string | number | null;
  [extra: string]: unknown;
}

export interface PathLink {
  ownerId: string;
  ownerName: string;
  ownedId: string;
  ownedName: string;
  kind: string;
  /** What the source states: "30%", a number in percent, a range, or a band text. */
  stated?: unknown;
  source?: LinkSource | null;
  [extra: string]: unknown;
}

export interface VerdictPath {
  links: PathLink[];
  share?: ShareRange | number | string | null;
  [extra: string]: unknown;
}

export interface TextItem {
  text: string;
}

/** Optional per-entity facts the diagram uses (country, restricted origin). */
export interface EntityInfo {
  id: string;
  name?: string;
  country?: string | null;
  kind?: string;
  isRestricted?: boolean;
  restricted?: boolean;
  [extra: string]: unknown;
}

/**
 * The verdict JSON. Both the engine's `VerdictReport` (shared/domain/engine: numeric ids,
 * `paths: {items, truncated, limit}`, `ultimateParents: {computed, reported, agree}`) and the
 * flat shape (`paths: [{links}]`, `entities` with countries) are accepted; see views.ts.
 * No index signatures: the engine's interfaces must be assignable to this type.
 */
export interface VerdictJson {
  subject: { id: string | number; name: string; identifiers: string[] };
  policy: { name: string; sha256: string };
  asOf: string;
  verdict: VerdictValue;
  methods: { control?: MethodResult; lookThrough?: MethodResult };
  ultimateParents?: unknown;
  paths?: VerdictPath[] | { items: readonly unknown[]; truncated?: boolean; limit?: number };
  gaps?: readonly TextItem[];
  findings?: readonly TextItem[];
  reasons?: readonly string[];
  entities?: readonly EntityInfo[];
  /** under a listed-party policy: the lists consulted and the parties checked */
  lists?: ListsConsulted;
}

export type CaseStatus = 'open' | 'decided' | 'reported';

export interface ReportCase {
  id: string;
  status: CaseStatus;
  reference?: string | null;
  title?: string | null;
  openedAt?: string | null;
  [extra: string]: unknown;
}

export interface ReportDecision {
  kind: 'confirm' | 'override';
  /** The verdict the investigator stands behind: the computed one for confirm. */
  verdict: VerdictValue;
  justification?: string | null;
  decidedBy?: string | null;
  decidedAt?: string | null;
}

export interface ReportNote {
  text: string;
  author?: string | null;
  at?: string | null;
}

export interface ReportSource {
  fileName: string;
  sha256: string;
  size: number;
  format: string;
  dataDate?: string | null;
  importedAt?: string | null;
}

export interface AuditHead {
  hash: string;
  seq?: number | null;
  at?: string | null;
  /**
   * "report.sign" when the head is the report's own signing entry (docs/CASES.md); absent in
   * reports signed before that, whose head is the newest entry before signing.
   */
  action?: string | null;
}

/** An investigator's assertion the verdict used (issue 14), as the report lists it. */
export interface ReportAssertion {
  id: number;
  fact: string;
  /** the fact in words */
  text: string;
  status: string;
  document: { fileName: string | null; reference: string | null; sha256: string; size: number | null };
  cite: string | null;
  reason: string;
  actor: string | null;
  createdAt: string;
  /** the fact as recorded (ids, share interval, role …) */
  content: unknown;
}

/** A cited document embedded in the report as an attachment of its own. */
export interface ReportDocument {
  fileName: string;
  sha256: string;
  size: number;
  mediaType: string | null;
  content: Buffer;
}

export interface ReportInput {
  verdict: VerdictJson;
  /** the assertions the verdict used; the report lists them and the evidence embeds them */
  assertions?: ReportAssertion[];
  /** the cited documents embedded (small enough: 10 MB in all by default) */
  documents?: ReportDocument[];
  /** "data alone: INDETERMINATE; with 2 assertions: RESTRICTED" */
  assertionSummary?: string | null;
  case: ReportCase;
  decision?: ReportDecision | null;
  notes?: Array<ReportNote | string>;
  sources: ReportSource[];
  auditHead: AuditHead | string;
  /** ISO-8601 timestamp; injected so that tests and re-renders are reproducible. */
  generatedAt: string;
  /** Free text identifying the program version, printed in the footer of the last page. */
  generator?: string;
}
