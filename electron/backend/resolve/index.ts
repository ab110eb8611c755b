export { canonicalId, canonicalMap, decide, effectiveDecisions, findCandidates, groupMembers, identifierProofs, resolveEntities, currentUser } from './resolve';
export type { Candidate, Decision, ResolutionGroup, ResolutionLink, ResolveResult } from './resolve';
export { normalizeName } from './names';
