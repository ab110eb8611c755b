import { describe, expect, it } from 'vitest';
import { isLeiSyntax, isValidLei, leiCheckDigits, makeLei } from '../../../shared/formats/gleif/lei';

describe('LEI check digits (ISO 7064 MOD 97-10)', () => {
  it.each([
    ['001GPB6A9XPE8XJICC14', true], // real, from the Level 1 excerpt
    ['5493001Z012YSB2A0K51', true],
    ['213800BJPX8V9HVY1Y11', true],
    ['097900BID10000147476', true],
    ['001GPB6A9XPE8XJICC15', false], // last digit changed
    ['001GPB6A9XPE8XJICC41', false], // check digits swapped
    ['101GPB6A9XPE8XJICC14', false], // first char changed
    ['001gpb6a9xpe8xjicc14', false], // lower case is not LEI syntax
    ['001GPB6A9XPE8XJICC1', false], // 19 chars
    ['001GPB6A9XPE8XJICCAB', false], // letters as check digits
  ])('%s → %s', (lei, ok) => {
    expect(isValidLei(lei)).toBe(ok);
  });

  it('computes check digits that verify, for random prefixes', () => {
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      let p = '';
      for (let i = 0; i < 18; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        p += chars[seed % 36];
      }
      const lei = makeLei(p);
      expect(isValidLei(lei)).toBe(true);
      expect(leiCheckDigits(p)).toBe(lei.slice(18));
    }
  });

  it('syntax check is separate from the check digits', () => {
    expect(isLeiSyntax('001GPB6A9XPE8XJICC15')).toBe(true);
    expect(() => leiCheckDigits('short')).toThrow();
  });
});
