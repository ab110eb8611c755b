// Turns a `--policy` argument (a preset name or a JSON file) into the effective policy.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MAX_BYTES, readRegularFile } from '../files/safe-path';
import { PRESET_NAMES, PolicyError, resolvePolicy, type EffectivePolicy } from '../../../shared/domain/policy/policy';
import { normalizeIdentifier } from '../store/queries';

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Reads the user's policy object: a preset name → `{preset}`, a file → its JSON. */
export function readPolicyInput(arg: string | undefined): Record<string, unknown> {
  if (arg === undefined) return {};
  if ((PRESET_NAMES as readonly string[]).includes(arg)) return { preset: arg };
  if (!existsSync(arg)) {
    throw new PolicyError('', `"${arg}" is neither a preset (${PRESET_NAMES.join(', ')}) nor an existing policy file`);
  }
  const text = readRegularFile(arg, MAX_BYTES.small, 'policy file').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PolicyError('', `${path.basename(arg)} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PolicyError('', `${path.basename(arg)} must contain a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** The effective policy for a `--policy` argument and an optional `--as-of` date. */
export function policyFromArgs(arg: string | undefined, asOf?: string): EffectivePolicy {
  const input = readPolicyInput(arg);
  if (asOf) input.asOf = asOf;
  let policy: EffectivePolicy;
  try {
    policy = resolvePolicy(input, { today: todayIso() });
  } catch (e) {
    // a policy file names itself, so the investigator knows which file to correct
    if (e instanceof PolicyError && arg !== undefined && !(PRESET_NAMES as readonly string[]).includes(arg)) e.message = `${path.basename(arg)}: ${e.message}`;
    throw e;
  }
  // Identifier references are compared as the store keeps them (UK numbers zero-padded, LEIs upper case).
  policy.restrictedParties = policy.restrictedParties.map((ref) => {
    const i = ref.indexOf(':');
    if (i <= 0 || /^id$/i.test(ref.slice(0, i))) return ref;
    const n = normalizeIdentifier(ref.slice(0, i), ref.slice(i + 1));
    return `${n.scheme}:${n.value}`;
  });
  policy.restrictedParties = [...new Set(policy.restrictedParties)].sort();
  return policy;
}
