export { candidatesFor, canonicalId, canonicalMap, decide, effectiveDecisions, findCandidates, groupMembers, identifierProofs, resolutionGroups, resolutionOf, resolvedEntityDetail, resolveEntities, refreshResolution, currentUser } from './resolve';
export type { Candidate, Decision, ResolutionGroup, ResolutionGroups, ResolutionLink, ResolveResult } from './resolve';
export { normalizeName } from './names';
