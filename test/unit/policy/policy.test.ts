import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PRESET_NAMES,
  PolicyError,
  canonicalPolicyJson,
  policySha256,
  presetFields,
  resolvePolicy,
} from '../../../shared/domain/policy/policy';
import { sha256Hex } from '../../../shared/domain/policy/sha256';

const today = '2025-06-30';

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['a'.repeat(1000), '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3'],
  ])('sha256(%j)', (input, expected) => {
    expect(sha256Hex(input)).toBe(expected);
  });

  it('agrees with node:crypto on random unicode strings of every padding length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('presets', () => {
  it.each(PRESET_NAMES)('%s is complete and valid', (name) => {
    const p = resolvePolicy({ preset: name }, { today });
    expect(p.preset).toBe(name);
    expect(p.asOf).toBe(today);
    expect(presetFields(name)).toBeTruthy();
  });

  it('default preset matches RULES.md §2', () => {
    expect(resolvePolicy(undefined, { today })).toEqual({
      name: 'Restricted regions (>50%)',
      preset: 'restricted-regions',
      restrictedCountries: ['CN', 'HK', 'IR', 'KP', 'MO', 'RU'],
      restrictedParties: [],
      restrictTopics: [],
      threshold: 50,
      comparison: 'gt',
      aggregate: true,
      countControl: true,
      consolidationImpliesMajority: true,
      locateBy: ['headquarters', 'jurisdiction', 'legalAddress'],
      locatePersonsBy: ['nationality', 'residence'],
      undisclosed: 'unknown',
      method: 'strictest',
      useAssertions: true,
      asOf: today,
    });
  });

  it('useAssertions (issue 14): default true, validated, hashed only when off', () => {
    const on = resolvePolicy(undefined, { today });
    expect(resolvePolicy({ useAssertions: true }, { today }).useAssertions).toBe(true);
    // a policy that reads assertions keeps the SHA-256 it had before the field existed
    const { useAssertions: _u, ...before } = on;
    expect(policySha256(on)).toBe(sha256Hex(canonicalPolicyJson(before as typeof on)));
    const off = resolvePolicy({ useAssertions: false }, { today });
    expect(off.useAssertions).toBe(false);
    expect(policySha256(off)).not.toBe(policySha256(on));
    expect(() => resolvePolicy({ useAssertions: 'no' }, { today })).toThrow(/policy field "useAssertions": must be true or false/);
  });

  it.each([
    ['ofac-50', 'gte', true, false, ['sanction']],
    ['eu-50', 'gte', true, true, ['sanction']],
    ['uk-ofsi', 'gt', false, true, ['sanction']],
    ['bis-affiliates', 'gte', true, false, ['export.control']],
  ] as const)('%s knobs follow the RULES.md §1 table', (preset, comparison, aggregate, countControl, topics) => {
    const p = resolvePolicy({ preset }, { today });
    expect(p).toMatchObject({ comparison, aggregate, countControl, restrictTopics: topics, restrictedCountries: [] });
  });
});

describe('user policy overrides and validation', () => {
  it('overrides fields of its base preset and normalizes lists', () => {
    const p = resolvePolicy({ preset: 'ofac-50', threshold: 25, restrictedCountries: ['ru', 'CN', 'RU'], asOf: '2024-02-29' }, { today });
    expect(p).toMatchObject({ preset: 'ofac-50', threshold: 25, comparison: 'gte', restrictedCountries: ['CN', 'RU'], asOf: '2024-02-29' });
  });

  it.each([
    [{ foo: 1 }, 'foo', /unknown field/],
    [{ threshold: 150 }, 'threshold', /between 0 and 100/],
    [{ threshold: '50' }, 'threshold', /number/],
    [{ threshold: 33.33333 }, 'threshold', /4 decimals/],
    [{ comparison: 'ge' }, 'comparison', /"gt", "gte"/],
    [{ aggregate: 'yes' }, 'aggregate', /true or false/],
    [{ restrictedCountries: ['China'] }, 'restrictedCountries[0]', /ISO 3166/],
    [{ restrictedCountries: 'CN' }, 'restrictedCountries', /array/],
    [{ locateBy: ['address'] }, 'locateBy[0]', /headquarters, jurisdiction, legalAddress/],
    [{ locatePersonsBy: ['birthplace'] }, 'locatePersonsBy[0]', /residence, nationality/],
    [{ undisclosed: 'ignore' }, 'undisclosed', /unknown/],
    [{ method: 'both' }, 'method', /strictest/],
    [{ asOf: '2025-02-30' }, 'asOf', /YYYY-MM-DD/],
    [{ preset: 'nope' }, 'preset', /restricted-regions/],
    [{ restrictedParties: ['not a ref'] }, 'restrictedParties[0]', /scheme:value/],
    [{ name: '' }, 'name', /non-empty/],
  ])('rejects %j naming the field', (input, field, message) => {
    try {
      resolvePolicy(input, { today });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      expect((e as PolicyError).field).toBe(field);
      expect((e as PolicyError).message).toMatch(message);
      expect((e as PolicyError).message).toContain(field);
    }
  });

  it('rejects a non-object', () => {
    expect(() => resolvePolicy([], { today })).toThrow(PolicyError);
  });

  it('canonical form and hash are stable and sensitive to every field', () => {
    const a = resolvePolicy({ locateBy: ['legalAddress', 'headquarters'] }, { today });
    const b = resolvePolicy({ locateBy: ['headquarters', 'legalAddress'] }, { today });
    expect(canonicalPolicyJson(a)).toBe(canonicalPolicyJson(b));
    expect(policySha256(a)).toBe(policySha256(b));
    expect(policySha256(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalPolicyJson(a).startsWith('{"aggregate":true,"asOf":"2025-06-30"')).toBe(true);
    const c = resolvePolicy({ locateBy: ['headquarters', 'legalAddress'], threshold: 50.0001 }, { today });
    expect(policySha256(c)).not.toBe(policySha256(a));
  });
});
