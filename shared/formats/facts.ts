// What a format mapper emits for each source record: normalized facts that the store upserts.
// Mappers are pure (no I/O); parsing and streaming live in electron/backend/import.
import type {
  ControlBasis,
  CountryRole,
  EntityKind,
  LinkKind,
  LinkStatus,
  ShareInterval,
  UndisclosedCategory,
} from '../domain/model';

/** An identifier: `lei`, `gb-coh`, `ru-ogrn`, or a source-local scheme such as `gb-psc`, `ftm`, `bods`. */
export interface IdentifierFact {
  scheme: string;
  value: string;
}

export interface NameFact {
  name: string;
  /** legal, other, previous, trading, transliterated, alias */
  type: string;
  lang?: string;
}

export interface CountryFact {
  role: CountryRole;
  /** ISO 3166-1 alpha-2, upper case; null when the text could not be normalized. */
  code: string | null;
  /** ISO 3166-2 subdivision when given (`CN-ZJ`, `US-DE`). */
  subdivision?: string;
  /** The text as the source wrote it. */
  text: string;
}

export interface EntityFact {
  type: 'entity';
  /** The identifier that names this record in its source: the entity is found or created by it. */
  ref: IdentifierFact;
  recordRef: string;
  kind: EntityKind;
  name: string;
  names: NameFact[];
  identifiers: IdentifierFact[];
  countries: CountryFact[];
  /** ACTIVE / INACTIVE / NULL as the source says. */
  status?: string;
  /** e.g. GLEIF ISSUED, LAPSED, RETIRED, ANNULLED, DUPLICATE. */
  registrationStatus?: string;
  /** e.g. GLEIF EntityCategory GENERAL, BRANCH, FUND. */
  category?: string;
  /** list topics (FollowTheMoney `sanction`, ...) */
  topics?: string[];
  /** Other free attributes shown in the UI (legal form, creation date, successor, ...). */
  attributes?: Record<string, string>;
}

export interface LinkFact {
  type: 'link';
  /** The record's natural key in its source family, e.g. `gleif-rr|START|END|TYPE`: re-imports update by it. */
  key: string;
  recordRef: string;
  owner: IdentifierFact;
  owned: IdentifierFact;
  kind: LinkKind;
  controlBasis?: ControlBasis;
  /** null when the source states no share. */
  share: ShareInterval | null;
  /** The share or nature of control exactly as the source states it. */
  stated: string;
  /** A link that summarises a chain (GLEIF ultimately-consolidated-by, BODS indirect). */
  isSummary: boolean;
  startDate?: string;
  endDate?: string;
  status: LinkStatus;
  /** Registration status of the record itself (GLEIF RR PUBLISHED, LAPSED, RETIRED, ...). */
  registrationStatus?: string;
  attributes?: Record<string, string>;
}

export interface UndisclosedFact {
  type: 'undisclosed';
  key: string;
  recordRef: string;
  subject: IdentifierFact;
  category: UndisclosedCategory;
  /** direct or ultimate parent, or any owner. */
  scope: 'direct' | 'ultimate' | 'any';
  reason: string;
  detail?: string;
  /** The part of the ownership that is undisclosed, when known (a PSC band, for example). */
  share?: ShareInterval | null;
  startDate?: string;
  endDate?: string;
  status: LinkStatus;
}

/** A delta file's removal of a record by its key. */
export interface DeletionFact {
  type: 'delete';
  recordRef: string;
  object: 'entity' | 'link' | 'undisclosed';
  key: string;
}

export type Fact = EntityFact | LinkFact | UndisclosedFact | DeletionFact;
