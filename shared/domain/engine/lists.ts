// Listed-party policies (restrictedParties, restrictTopics) read lists: a verdict under such a
// policy says which lists it consulted, and a case without any list for the policy's topics
// cannot be CLEAR (nobody in it could have been found listed). Pure: the backend gathers the
// facts (which sources carry which topics, which parties are in the case) and these functions
// apply them to a report or a screening result.
import type { EffectivePolicy } from '../policy/policy';
import type { Finding, Gap, ScreeningResult, Verdict, VerdictReport } from './verdict';

/** One imported source that carries at least one of the policy's topics. */
export interface ListSource {
  sourceId: number;
  fileName: string;
  format: string;
  /** the datasets the source's listed entities name (OpenSanctions `datasets`), if any */
  datasets: string[];
  dataDate: string | null;
  /** the policy's topics this source carries */
  topics: string[];
  /** how many entities of this source carry one of the policy's topics */
  listedEntities: number;
}

/** A policy `restrictedParties` entry and what the case holds for it. */
export interface PartyCheck {
  ref: string;
  found: boolean;
  entityId: number | null;
  name: string | null;
  identifiers: string[];
}

export interface ListsConsulted {
  topics: string[];
  sources: ListSource[];
  parties: PartyCheck[];
  /** the policy's topics that no imported source carries */
  missingTopics: string[];
}

/** OpenSanctions' derived topics: conclusions of its own, not listings (never origins). */
export const DERIVED_TOPICS: Record<string, string> = {
  'sanction.linked': 'linked to a sanctioned party',
  'sanction.control': 'controlled by a sanctioned party',
};

export function readsLists(policy: EffectivePolicy): boolean {
  return policy.restrictTopics.length > 0 || policy.restrictedParties.length > 0;
}

/** True when the policy names topics and not one imported source carries any of them. */
export function noListImported(lists: ListsConsulted): boolean {
  return lists.topics.length > 0 && lists.sources.length === 0;
}

export function noListText(lists: ListsConsulted): string {
  return lists.topics.map((t) => `no list with topic '${t}' has been imported`).join('; ');
}

/** One line per list and party, for the text outputs (CLI, report). */
export function listsConsultedLines(lists: ListsConsulted): string[] {
  const out = lists.sources.map(
    (s) => `${s.fileName} (${s.format}${s.datasets.length ? `, dataset ${s.datasets.join(', ')}` : ''}, data date ${s.dataDate ?? 'not stated'}): ${s.listedEntities} listed entit${s.listedEntities === 1 ? 'y' : 'ies'} with topic ${s.topics.map((t) => `'${t}'`).join(', ')}`,
  );
  for (const t of lists.missingTopics) out.push(`no list with topic '${t}' has been imported`);
  for (const p of lists.parties) {
    out.push(p.found ? `restricted party ${p.ref}: found, ${p.name} (#${p.entityId}${p.identifiers.length ? `, ${p.identifiers.join(', ')}` : ''})` : `restricted party ${p.ref}: not found in this case`);
  }
  return out;
}

/**
 * Applies the lists to a single-subject report: records them, and when no list for the
 * policy's topics was imported turns CLEAR into INDETERMINATE with a `no-list` gap (the
 * per-method results stay as computed on the data). `derivedTopics` are the subject's
 * OpenSanctions derived topics, compared with the verdict in a finding.
 */
export function applyLists(report: VerdictReport, lists: ListsConsulted, derivedTopics: string[]): VerdictReport {
  const out: VerdictReport = { ...report, lists, gaps: [...report.gaps], findings: [...report.findings], reasons: [...report.reasons] };
  if (noListImported(lists)) {
    const text = noListText(lists);
    const gap: Gap = { kind: 'no-list', entityId: report.subject.id, entityName: report.subject.name, text };
    out.gaps.unshift(gap);
    if (out.verdict === 'clear') {
      out.verdict = 'indeterminate';
      out.gapsSettleTo = null;
      out.reasons[0] = `INDETERMINATE: ${text}, so nobody in ${report.subject.name}'s ownership could have been found listed (on the data imported the restricted share is nil)`;
    }
  }
  for (const t of derivedTopics) {
    const finding: Finding = {
      kind: 'derived-topic',
      text: `OpenSanctions marks ${report.subject.name} '${t}' (${DERIVED_TOPICS[t] ?? t}); this is not an origin. The computed verdict is ${out.verdict.toUpperCase()}: ${agreement(out.verdict)}`,
      entityIds: [report.subject.id],
    };
    out.findings.push(finding);
  }
  return out;
}

function agreement(v: Verdict): string {
  if (v === 'restricted') return 'it agrees';
  if (v === 'clear') return 'it does not agree: check the lists and links OpenSanctions used';
  return 'it does not settle it either way';
}

/** The same rule for a whole screening: with no list imported, no entity is CLEAR. */
export function applyListsToScreening(result: ScreeningResult, lists: ListsConsulted): ScreeningResult {
  if (!noListImported(lists)) return result;
  const text = noListText(lists);
  const wasClear = new Uint8Array(result.verdict.length);
  for (let i = 0; i < result.verdict.length; i++) {
    if (result.verdict[i] !== 0) continue;
    wasClear[i] = 1;
    result.verdict[i] = 1;
  }
  const reasonOf = result.reasonOf;
  const entry = result.entry;
  const reason = (i: number) => (wasClear[i] ? `INDETERMINATE: ${text}` : result.verdict[i] === 1 ? `${reasonOf(i)}; ${text}` : reasonOf(i));
  return { ...result, reasonOf: reason, entry: (i) => ({ ...entry(i), reason: reason(i) }) };
}
