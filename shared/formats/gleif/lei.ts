// LEI syntax and check digits (ISO 17442: 18 alphanumerics + 2 check digits, ISO 7064 MOD 97-10).

/** 20 characters: 18 upper-case alphanumerics followed by 2 digits. */
export const LEI_PATTERN = /^[0-9A-Z]{18}[0-9]{2}$/;

function mod97(s: string): number {
  // Letters count as two digits (A=10 … Z=35); fold left to stay in small integers.
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else r = (r * 100 + (c - 55)) % 97;
  }
  return r;
}

/** True when `lei` has LEI syntax (does not check the check digits). */
export function isLeiSyntax(lei: string): boolean {
  return LEI_PATTERN.test(lei);
}

/** True when the syntax is right and the ISO 7064 MOD 97-10 check digits verify. */
export function isValidLei(lei: string): boolean {
  return LEI_PATTERN.test(lei) && mod97(lei) === 1;
}

/** The two check digits for an 18-character LEI prefix. */
export function leiCheckDigits(prefix18: string): string {
  if (!/^[0-9A-Z]{18}$/.test(prefix18)) throw new Error(`not an 18-character LEI prefix: ${prefix18}`);
  const d = 98 - mod97(prefix18 + '00');
  return d < 10 ? `0${d}` : String(d);
}

/** Completes an 18-character prefix into a valid LEI. */
export function makeLei(prefix18: string): string {
  return prefix18 + leiCheckDigits(prefix18);
}
