// Named policies saved in the case database (migration 011): the user policy object as entered (a
// preset plus the fields that override it), so every investigator of the case screens under it.
import type { Db } from './db';

export interface SavedPolicyRow {
  name: string;
  policy: Record<string, unknown>;
  /** The effective policy's SHA-256 when it was saved (the hash changes with the as-of date). */
  sha256: string;
  savedAt: string;
  savedBy: string | null;
}

interface Raw {
  name: string;
  policy: string;
  sha256: string;
  saved_at: string;
  saved_by: string | null;
}

/**
 * A stored row as the API gives it, or null for one that is not a policy object (a case database
 * written by another tool): such a row is left out rather than failing every list. What a kept
 * object says is validated by the policy module wherever it is used, like any user policy.
 */
function row(r: Raw): SavedPolicyRow | null {
  let policy: unknown;
  try {
    policy = JSON.parse(String(r.policy));
  } catch {
    return null;
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy) || typeof r.name !== 'string') return null;
  return { name: r.name, policy: policy as Record<string, unknown>, sha256: String(r.sha256), savedAt: String(r.saved_at), savedBy: r.saved_by === null ? null : String(r.saved_by) };
}

export function listSavedPolicies(db: Db): SavedPolicyRow[] {
  return (db.prepare('SELECT name, policy, sha256, saved_at, saved_by FROM saved_policies ORDER BY name COLLATE NOCASE').all() as Raw[]).flatMap((r) => row(r) ?? []);
}

/** Saves (or replaces) the policy under its name; runs in the caller's write turn. */
export function savePolicy(db: Db, p: Omit<SavedPolicyRow, 'savedAt'>): SavedPolicyRow {
  const savedAt = new Date().toISOString();
  db.prepare(
    `INSERT INTO saved_policies (name, policy, sha256, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET policy = excluded.policy, sha256 = excluded.sha256, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
  ).run(p.name, JSON.stringify(p.policy), p.sha256, savedAt, p.savedBy);
  return { ...p, savedAt };
}

export function forgetSavedPolicy(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM saved_policies WHERE name = ?').run(name).changes > 0;
}
