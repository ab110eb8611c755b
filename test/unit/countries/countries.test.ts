import { describe, expect, it } from 'vitest';
import { normalizeCountry, splitCountries } from '../../../shared/formats/countries';

describe('country normalization', () => {
  it.each([
    ["People'S Republic Of China", 'CN'], ['Chinese', 'CN'], ['Hong Kong', 'HK'], ['Russian Federation', 'RU'],
    ['England And Wales', 'GB'], ['England & Wales', 'GB'], ['Iranian', 'IR'], ['North Korea', 'KP'],
    ["Korea, Democratic People's Republic of", 'KP'], ['Minnesota, Usa', 'US'], ['United Kingdom (England And Wales)', 'GB'],
    ['ru', 'RU'], ['DEU', 'DE'], ['Czech Republic', 'CZ'], ['Macau', 'MO'], ['British', 'GB'], ['Chine', 'CN'],
  ])('%s → %s', (text, code) => expect(normalizeCountry(text).code).toBe(code));

  it('keeps subdivisions and reports what it cannot normalize as null', () => {
    expect(normalizeCountry('US-DE')).toEqual({ code: 'US', subdivision: 'US-DE' });
    expect(normalizeCountry('West Yorkshire').code).toBeNull();
    expect(normalizeCountry('suhh').code).toBeNull();
  });

  it('splits several nationalities but not one country written with a comma', () => {
    expect(splitCountries('British,Irish')).toEqual(['British', 'Irish']);
    expect(splitCountries("Korea, Democratic People's Republic of")).toEqual(["Korea, Democratic People's Republic of"]);
    expect(splitCountries('England And Wales')).toEqual(['England And Wales']);
  });

  it('answers a text asked again the same, and a caller changing its answer changes no later one', () => {
    const first = normalizeCountry('US-DE');
    first.code = 'XX';
    delete first.subdivision;
    expect(normalizeCountry('US-DE')).toEqual({ code: 'US', subdivision: 'US-DE' });
    for (let i = 0; i < 3; i++) expect(normalizeCountry('West Yorkshire').code).toBeNull();
    expect(splitCountries('British,Irish')).toEqual(['British', 'Irish']);
  });
});
