// Issue 11 point 6: a policy is exactly as shown. An edit of a preset is labelled
// "<preset name> (edited)" and keeps that preset as its base; country codes are ISO 3166-1
// alpha-2 (subdivisions as before), "XX" is refused with the list of valid codes; every field's
// range is checked with a message naming the field.
import { describe, expect, it } from 'vitest';
import { PolicyError, resolvePolicy } from '../../../shared/domain/policy/policy';

const today = '2025-06-30';
const resolve = (input: unknown) => resolvePolicy(input, { today });

describe('edited presets are labelled as such', () => {
  it.each([
    [{ preset: 'bis-affiliates', threshold: 40 }, 'bis-affiliates', 'edited'],
    [{ preset: 'ofac-50', restrictedParties: ['lei:529900T8BM49AURSDO55'] }, 'ofac-50', 'edited'],
    [{ threshold: 25 }, 'restricted-regions', 'Restricted regions (>50%) (edited)'],
    [{ preset: 'bis-affiliates' }, 'bis-affiliates', null],
    [{ preset: 'bis-affiliates', asOf: '2020-01-01' }, 'bis-affiliates', null],
    // the same value as the preset is not an edit
    [{ preset: 'eu-50', threshold: 50 }, 'eu-50', null],
    [{ preset: 'bis-affiliates', threshold: 40, name: 'Our BIS reading' }, 'bis-affiliates', 'Our BIS reading'],
  ])('%j → %s, "%s"', (input, preset, name) => {
    const p = resolve(input);
    expect(p.preset).toBe(preset);
    const presetName = resolve({ preset }).name;
    if (name === 'edited') expect(p.name).toBe(`${presetName} (edited)`);
    else if (name) expect(p.name).toBe(name);
    else expect(p.name).toBe(presetName);
  });
});

describe('every field checked, naming the field', () => {
  it.each([
    [{ restrictedCountries: ['XX'] }, 'restrictedCountries[0]', /"XX" is not an ISO 3166-1 alpha-2 country code; valid codes: AD, AE, .*ZW/],
    [{ restrictedCountries: ['CN', 'QQ-01'] }, 'restrictedCountries[1]', /"QQ-01".*valid codes/],
    [{ restrictedCountries: ['china'] }, 'restrictedCountries[0]', /not an ISO 3166-1 alpha-2/],
    [{ threshold: 101 }, 'threshold', /between 0 and 100/],
    [{ threshold: -1 }, 'threshold', /between 0 and 100/],
    [{ threshold: '50' }, 'threshold', /number/],
    [{ comparison: 'ge' }, 'comparison', /"gt", "gte"/],
    [{ method: 'average' }, 'method', /"control", "lookThrough", "strictest"/],
    [{ locateBy: ['address'] }, 'locateBy[0]', /headquarters, jurisdiction, legalAddress/],
    [{ undisclosed: 'ignore' }, 'undisclosed', /"unknown", "assumeClear"/],
    [{ aggregate: 'yes' }, 'aggregate', /true or false/],
    [{ name: '' }, 'name', /non-empty/],
    [{ name: 'x'.repeat(201) }, 'name', /at most 200 characters/],
    [{ restrictTopics: ['sanction', ''] }, 'restrictTopics[1]', /non-empty/],
    [{ asOf: '2023-02-31' }, 'asOf', /date/],
    [{ preset: 'ofac' }, 'preset', /restricted-regions/],
  ])('%j is refused in %s', (input, field, message) => {
    let err: unknown;
    try {
      resolve(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).field).toBe(field);
    expect((err as PolicyError).message).toMatch(message);
    expect((err as PolicyError).message).toContain(`"${field}"`);
  });

  it('accepts real codes and subdivisions, upper-casing them', () => {
    expect(resolve({ restrictedCountries: ['cn', 'UA-43', 'XK'] }).restrictedCountries).toEqual(['CN', 'UA-43', 'XK']);
  });
});
