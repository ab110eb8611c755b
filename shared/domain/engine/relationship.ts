// Relationships in words for people, not codes: "directly consolidated by (accounting
// consolidation, 51.5%)", "76.5% (shareholding, direct)", "branch of". The code a registry used
// stays where evidence is listed (the report's "Stated" column, the app's tooltip); these are the
// labels beside it. Pure: the report, the app and exports share it.

export interface RelationshipLike {
  kind: string;
  controlBasis?: string | null;
  /** the share as read, as the engine writes it: "30%", "(25%, 50%]", "[0%, 100%]", or null */
  share?: string | null;
  /** the share or nature exactly as the source states it */
  stated: string;
  isSummary?: boolean;
}

const GLEIF_TYPES: Record<string, string> = {
  IS_DIRECTLY_CONSOLIDATED_BY: 'directly consolidated by',
  IS_ULTIMATELY_CONSOLIDATED_BY: 'ultimately consolidated by',
  IS_INTERNATIONAL_BRANCH_OF: 'branch of',
  'IS_FUND-MANAGED_BY': 'fund managed by',
  IS_SUBFUND_OF: 'sub-fund of',
  IS_FEEDER_TO: 'feeder fund of',
};

const KIND_WORDS: Record<string, string> = {
  shares: 'shareholding',
  votes: 'voting rights',
  control: 'control',
  branch: 'branch of',
  'fund-management': 'fund managed by',
  other: 'other relationship',
};

const BASIS_WORDS: Record<string, string> = {
  consolidation: 'accounting consolidation',
  board: 'appoints or removes the board',
  influence: 'significant influence',
  other: 'other control',
};

const num = (s: string) => `${Number(s)}%`;

/**
 * An interval as a sentence: "(75%, 100%]" → "more than 75%, up to 100%"; "[25%, 50%)" → "at
 * least 25%, less than 50%"; "30%" → "30%"; unknown → "share not stated".
 */
export function explainShare(share: string | null | undefined): string {
  const s = (share ?? '').trim();
  if (!s || /^unknown/.test(s) || /^\[0(\.0+)?%?, ?100(\.0+)?%?\]$/.test(s)) return 'share not stated';
  const exact = /^(\d+(?:\.\d+)?)\s*%?$/.exec(s);
  if (exact) return num(exact[1]!);
  const m = /^([[(])\s*(\d+(?:\.\d+)?)%?\s*,\s*(\d+(?:\.\d+)?)%?\s*([\])])$/.exec(s);
  if (!m) return s;
  const [, open, lo, hi, close] = m;
  const low = Number(lo) === 0 && open === '[' ? null : `${open === '(' ? 'more than' : 'at least'} ${num(lo!)}`;
  const high = `${close === ')' ? 'less than' : 'up to'} ${num(hi!)}`;
  return low ? `${low}, ${high}` : high;
}

/** The GLEIF relationship type and its quantifiers, when `stated` is a GLEIF statement. */
function gleifWords(stated: string): string | null {
  const m = /^(IS_[A-Z_-]+)\b\s*(.*)$/.exec(stated.trim());
  if (!m || !GLEIF_TYPES[m[1]!]) return null;
  const details: string[] = [];
  // quantifiers: "ACCOUNTING_CONSOLIDATION 51.5 PERCENTAGE", possibly several
  for (const q of m[2]!.matchAll(/([A-Z_]+)?\s*(\d+(?:\.\d+)?)?\s*(PERCENTAGE)?/g)) {
    if (!q[0].trim()) continue;
    if (q[1] && q[1] !== 'PERCENTAGE') details.push(q[1].toLowerCase().replace(/_/g, ' '));
    if (q[2]) details.push(q[3] ? `${Number(q[2])}%` : q[2]);
  }
  return `${GLEIF_TYPES[m[1]!]}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/** "direct" / "indirect" when the source says so (BODS interest levels; summary links). */
function levelWord(l: RelationshipLike): string | null {
  const m = /(?:^|;\s*)(direct|indirect)\s*$/i.exec(l.stated.trim());
  if (m) return m[1]!.toLowerCase();
  return l.isSummary ? 'indirect' : null;
}

/** What the relationship is, in words: "shareholding", "control (accounting consolidation)". */
export function relationshipKind(l: RelationshipLike): string {
  const g = gleifWords(l.stated);
  if (g) return g;
  const base = KIND_WORDS[l.kind] ?? l.kind;
  return l.kind === 'control' && l.controlBasis && BASIS_WORDS[l.controlBasis] ? `control (${BASIS_WORDS[l.controlBasis]})` : base;
}

/**
 * One label for a link: the GLEIF type in words with its quantifiers, or the share first then the
 * kind and level: "76.5% (shareholding, direct)", "more than 25%, up to 50% (voting rights)".
 */
export function relationshipWords(l: RelationshipLike): string {
  const g = gleifWords(l.stated);
  if (g) return g;
  const kind = relationshipKind(l);
  if (l.kind === 'branch' || l.kind === 'fund-management') return kind;
  const shareText = l.share ?? (/^\s*\d+(\.\d+)?\s*%?\s*$/.test(l.stated) ? l.stated : null);
  const share = explainShare(shareText);
  const level = levelWord(l);
  const inner = [kind, level].filter(Boolean).join(', ');
  return share === 'share not stated' ? (l.kind === 'control' ? kind : `${inner} (share not stated)`) : `${share} (${inner})`;
}
