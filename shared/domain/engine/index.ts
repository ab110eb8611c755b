// Public API of the verdict engine.
export { F_HAS_SHARE, F_HI_OPEN, F_LO_OPEN, F_SUMMARY, F_VOID, GraphBuilder, OwnershipGraph, buildGraph, parseDateInt } from './graph';
export type { EntityInput, LinkColumns, LinkInput, MarkerInput, MarkerScope, SourceRef } from './graph';
export { compile, type CompiledGraph } from './compile';
export { controlMethod, lookThroughMethod, type Bounds, type LookThroughResult } from './methods';
export {
  ancestorClosure,
  explainSubject,
  formatBounds,
  overall,
  screenAll,
  SubjectNotFoundError,
} from './verdict';
export type {
  EvidenceLink,
  EvidencePath,
  EvidenceStep,
  ExplainOptions,
  Finding,
  Gap,
  MethodVerdict,
  ScreeningEntry,
  ScreeningResult,
  ShareBounds,
  UltimateParent,
  Verdict,
  VerdictReport,
} from './verdict';
export { onDate, linkOnDate, markerOnDate, existsOn, asOfMeaning, ON_NO, ON_YES, ON_MAYBE } from './asof';
export { applyLists, applyListsToScreening, DERIVED_TOPICS, listsConsultedLines, noListImported, readsLists } from './lists';
export type { ListSource, ListsConsulted, PartyCheck } from './lists';
export { explainShare, relationshipKind, relationshipWords, type RelationshipLike } from './relationship';
