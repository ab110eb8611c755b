import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../electron/backend/resolve/names';

describe('name normalization for candidates', () => {
  it('removes case, accents, punctuation and legal forms', () => {
    expect(normalizeName('ACME Holdings Ltd.')).toBe(normalizeName('Acme Holdings Limited'));
    expect(normalizeName('Müller GmbH')).toBe('muller');
    expect(normalizeName('ООО «Ромашка»')).toBe('ромашка');
    expect(normalizeName('华为技术有限公司')).toBe('华为技术');
    expect(normalizeName('Société Générale S.A.')).toBe('societe generale');
  });
});
