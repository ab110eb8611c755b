// UK Companies House company numbers: 8 characters, digits zero-padded ("686734" → "00686734"),
// or a 2-letter prefix and 6 digits ("SC012345", "NI000123", "OE029880").

/** The 8-character form of a UK company number, or null when the text is not one. */
export function ukCompanyNumber(text: string | null | undefined): string | null {
  if (!text) return null;
  const v = text.toUpperCase().replace(/[\s.\-]/g, '');
  if (/^\d{1,8}$/.test(v)) return v.padStart(8, '0');
  const m = /^([A-Z]{2})(\d{1,6})$/.exec(v);
  if (m) return m[1]! + m[2]!.padStart(6, '0');
  return null;
}
