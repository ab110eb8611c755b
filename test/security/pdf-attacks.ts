// Attacks on a signed report, built on the bytes the project's own signer writes. Shared by the
// forgery test and the property test. These helpers read the file with plain regular
// expressions, not with the verifier's reader, so that a bug in the reader cannot hide an attack.
import { deflateSync, inflateSync } from 'node:zlib';

export interface SignedLayout {
  /** ByteRange [0 b c d]: the signature value is the hex string at [b, c). */
  b: number;
  c: number;
  d: number;
}

export function signedLayout(pdf: Buffer): SignedLayout {
  const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('not a signed report');
  return { b: Number(m[1]), c: Number(m[2]), d: Number(m[3]) };
}

interface StreamObject {
  /** Offset of "N 0 obj". */
  start: number;
  /** Offset just after "endobj". */
  end: number;
  header: string;
  data: Buffer;
}

function streamObject(pdf: Buffer, num: number): StreamObject {
  const text = pdf.toString('latin1');
  const re = new RegExp(`(?:^|\\n)(${num} 0 obj\\s*<<\\s*/Length (\\d+)\\s*/Filter /FlateDecode\\s*>>\\s*stream\\n)`, 'g');
  const m = re.exec(text);
  if (!m) throw new Error(`stream object ${num} not found`);
  const start = m.index + m[0].length - m[1]!.length;
  const dataAt = start + m[1]!.length;
  const length = Number(m[2]);
  const tail = '\nendstream\nendobj';
  if (text.slice(dataAt + length, dataAt + length + tail.length) !== tail) throw new Error(`object ${num} is not laid out as pdfkit writes it`);
  return { start, end: dataAt + length + tail.length, header: m[1]!, data: inflateSync(pdf.subarray(dataAt, dataAt + length)) };
}

/** The object numbers of the first page's content stream and of the font named `font` on it. */
function firstPage(pdf: Buffer, font: string): { contents: number; toUnicode: number } {
  const text = pdf.toString('latin1');
  const kids = /\/Type\s*\/Pages\s*\/Count\s+\d+\s*\/Kids\s*\[(\d+) 0 R/.exec(text);
  if (!kids) throw new Error('no page tree');
  const page = new RegExp(`\\n${kids[1]} 0 obj\\s*<<\\s*/Type\\s*/Page\\s[^]*?/Contents (\\d+) 0 R\\s*/Resources (\\d+) 0 R`).exec(text);
  if (!page) throw new Error('first page not found');
  const res = new RegExp(`\\n${page[2]} 0 obj\\s*<<[^]*?/${font} (\\d+) 0 R`).exec(text);
  if (!res) throw new Error(`font ${font} not on the first page`);
  const fontObj = new RegExp(`\\n${res[1]} 0 obj\\s*<<[^]*?/ToUnicode (\\d+) 0 R`).exec(text);
  if (!fontObj) throw new Error(`font ${font} has no ToUnicode map`);
  return { contents: Number(page[1]), toUnicode: Number(fontObj[1]) };
}

/** Glyph ids (4 hex digits each) that show `word` in a pdfkit subset font, from its ToUnicode CMap. */
function glyphsFor(cmap: string, word: string): string {
  const byChar = new Map<string, string>();
  for (const m of cmap.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/g)) {
    const first = parseInt(m[1]!, 16);
    [...m[2]!.matchAll(/<([0-9a-f ]+)>/g)].forEach((u, i) => {
      const cp = u[1]!.split(' ').map((h) => String.fromCharCode(parseInt(h, 16))).join('');
      if (!byChar.has(cp)) byChar.set(cp, (first + i).toString(16).padStart(4, '0'));
    });
  }
  return [...word]
    .map((ch) => {
      const g = byChar.get(ch);
      if (!g) throw new Error(`the font subset has no glyph for "${ch}"`);
      return g;
    })
    .join('');
}

/**
 * A copy of `pdf` whose first page shows `word` (in green) instead of the large verdict, with
 * every object at its original offset: the content stream is recompressed into no more bytes
 * than before and padded, so the original cross-reference table still describes the copy.
 */
export function withFirstPageVerdict(pdf: Buffer, word: string): Buffer {
  const { contents, toUnicode } = firstPage(pdf, 'F2');
  const page = streamObject(pdf, contents);
  const cmap = streamObject(pdf, toUnicode).data.toString('latin1');
  const content = page.data.toString('latin1');
  // The verdict is the only 20 pt text of the first page.
  const verdict = /(\/F2 20 Tf\n\[<)([0-9a-f]+)(> 0\] TJ)/;
  if (!verdict.test(content)) throw new Error('the verdict text was not found on the first page');
  const changed = content
    .replace(verdict, (_m, a: string, _g: string, z: string) => a + glyphsFor(cmap, word) + z)
    .replaceAll('0.7019607843137254 0.14901960784313725 0.11764705882352941 scn', '0.1 0.55 0.2 scn')
    .replaceAll('0.984313725490196 0.9176470588235294 0.9098039215686274 scn', '0.9 0.97 0.9 scn');
  const data = deflateSync(Buffer.from(changed, 'latin1'), { level: 9 });
  const oldLength = /\/Length (\d+)/.exec(page.header)![1]!;
  if (data.length > Number(oldLength)) throw new Error('the changed page does not fit in place');
  const header = page.header.replace(`/Length ${oldLength}`, `/Length ${String(data.length).padStart(oldLength.length)}`);
  const obj = Buffer.concat([Buffer.from(header, 'latin1'), data, Buffer.from('\nendstream\nendobj', 'latin1')]);
  const padded = Buffer.concat([obj, Buffer.alloc(page.end - page.start - obj.length, 0x20)]);
  return Buffer.concat([pdf.subarray(0, page.start), padded, pdf.subarray(page.end)]);
}

/**
 * The red-team forgery of issue 12: right after the signature value's `>`, insert a shadow copy of
 * the signed tail with the first page changed, then a fake `/ByteRange [0 b c' d]` and a `>`, and
 * keep the original tail at the end. Viewers follow the final startxref, whose offset now lands
 * in the shadow copy; a verifier that takes the last /ByteRange in the file hashes the original
 * bytes and finds them intact.
 */
export function shadowTailForgery(signed: Buffer, word = 'Clear'): Buffer {
  const { b, c, d } = signedLayout(signed);
  const tail = signed.subarray(c);
  const changed = withFirstPageVerdict(signed, word);
  if (!changed.subarray(0, c).equals(signed.subarray(0, c))) throw new Error('the first page is not in the tail of this report');
  const shadow = changed.subarray(c);
  let cPrime = 0;
  let fake = Buffer.alloc(0);
  for (let i = 0; i < 3; i++) {
    fake = Buffer.from(`\n/ByteRange [0 ${b} ${cPrime} ${d}]\n>`, 'latin1');
    cPrime = c + shadow.length + fake.length;
  }
  return Buffer.concat([signed.subarray(0, c), shadow, fake, tail]);
}

/** Another form of the same idea inside the gap: after the signature hex, a `>` and a fake /ByteRange over the zero padding. */
export function fakeByteRangeInGap(signed: Buffer): Buffer {
  const { b, c, d } = signedLayout(signed);
  const out = Buffer.from(signed);
  const gap = out.toString('latin1', b, c);
  const end = gap.search(/0+>$/);
  const payload = Buffer.from(`> /ByteRange [0 ${b} ${c} ${d}] `, 'latin1');
  payload.copy(out, b + end + 64);
  return out;
}

/** Appends an incremental update (a new xref section and trailer, /Prev to the old one) that redefines the given objects. */
export function appendRevision(pdf: Buffer, objects: { num: number; body: Buffer }[]): Buffer {
  const text = pdf.toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)![1];
  const info = /\/Info (\d+ \d+ R)/.exec(trailer)?.[1];
  const parts: Buffer[] = [pdf];
  let at = pdf.length;
  let xref = 'xref\n';
  for (const o of objects) {
    const obj = Buffer.concat([Buffer.from(`\n${o.num} 0 obj\n`, 'latin1'), o.body, Buffer.from('\nendobj\n', 'latin1')]);
    xref += `${o.num} 1\n${String(at + 1).padStart(10, '0')} 00000 n \n`;
    parts.push(obj);
    at += obj.length;
  }
  xref += `trailer\n<< /Size ${size} /Root ${root}${info ? ` /Info ${info}` : ''} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

/** The object number of the first page's content stream (for updates that replace it). */
export function firstPageContents(pdf: Buffer): number {
  return firstPage(pdf, 'F2').contents;
}

/** A stream object body (dictionary and data) that shows the first page with `word` as its verdict. */
export function firstPageStreamBody(pdf: Buffer, word: string): Buffer {
  const changed = withFirstPageVerdict(pdf, word);
  const obj = streamObject(changed, firstPageContents(pdf));
  const raw = changed.subarray(obj.start, obj.end).toString('latin1');
  const body = raw.slice(raw.indexOf('obj') + 3, raw.lastIndexOf('endobj'));
  return Buffer.from(body, 'latin1');
}
