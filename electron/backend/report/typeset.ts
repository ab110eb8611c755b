// Multi-script line setting on top of pdfkit: font fallback per run, the Unicode bidirectional
// algorithm (UAX #9, from bidi-js) for the direction of each run and their visual order, greedy
// wrapping with break opportunities at spaces and between CJK characters.
import bidiFactory from 'bidi-js';
import type PDFDocument from 'pdfkit';
import { fontChain, type FaceRef, type Weight } from './fonts.js';

type Doc = InstanceType<typeof PDFDocument>;

interface GlyphFont {
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string): { glyphs: Array<{ id: number; codePoints: number[] }> };
}

interface Run {
  face: FaceRef;
  text: string;
  /** The run's resolved bidi embedding level: odd is right to left. */
  level: number;
  isRtl: boolean;
}

const bidi = bidiFactory();

export interface TextStyle {
  size: number;
  weight?: Weight;
  color?: string;
}

// Scripts that fontkit lays out right to left itself (it reverses the glyphs of such a word).
const RTL_SCRIPT = /[\u0590-\u05ff\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u0780-\u07bf\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
// Scripts whose shaping reorders glyphs: the Indic scripts (Devanagari to Sinhala), Tibetan,
// Myanmar, Khmer. (Right-to-left runs are not given ActualText: poppler reverses it once more.)
const REORDERING_SCRIPT = /[\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]/;
// Characters that do not decide a font: stay in the current run when it can show them.
const NEUTRAL = /[\s\u200b-\u200f\u2060\u00a0.,:;!?'"()[\]{}\-–—/\\|&%+*#@0-9\u060c\u061b\u061f\u066a-\u066c]/;
const BREAKABLE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

export class Typesetter {
  private readonly doc: Doc;
  private readonly glyphs = new Map<string, GlyphFont>();
  private isolatedNames: string[] = [];

  constructor(doc: Doc) {
    this.doc = doc;
    for (const weight of ['regular', 'bold'] as const) {
      for (const face of fontChain()[weight]) {
        doc.registerFont(face.key, face.path);
      }
    }
  }

  private fontFor(face: FaceRef): GlyphFont {
    let f = this.glyphs.get(face.key);
    if (!f) {
      this.doc.font(face.key);
      // pdfkit keeps the fontkit font on the embedded font object; it answers glyph coverage.
      f = (this.doc as unknown as { _font: { font: GlyphFont } })._font.font;
      this.glyphs.set(face.key, f);
    }
    return f;
  }

  /**
   * Names (of entities, people) that are set as bidi isolates (UAX #9 FSI … PDI) wherever they
   * appear in a sentence: without it a right-to-left name pulls the number after it into its run
   * ("from شرکت پارس — 27% of the subject" would show "from 27 — شرکت پارس%"), because rule W2
   * makes the digits after Arabic letters Arabic numbers. Only names with right-to-left letters
   * need it.
   */
  isolate(names: Iterable<string | null | undefined>): void {
    const rtl = new Set<string>();
    for (const n of names) if (n && RTL_SCRIPT.test(n)) rtl.add(n);
    // longest first, so a name that contains another is isolated whole
    this.isolatedNames = [...rtl].sort((a, b) => b.length - a.length);
  }

  /** Bidi levels per UTF-16 index of `text`, with the registered names isolated. */
  private levels(text: string, direction: 'ltr' | 'rtl' | 'auto'): Uint8Array {
    const spans: Array<[number, number]> = [];
    for (const name of this.isolatedNames) {
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
        const end = at + name.length;
        if (!spans.some(([a, b]) => at < b && end > a)) spans.push([at, end]);
      }
    }
    if (spans.length === 0) return bidi.getEmbeddingLevels(text, direction).levels;
    spans.sort((a, b) => a[0] - b[0]);
    // the text with FSI/PDI around each span, and where each original index went
    let marked = '';
    const position: number[] = [];
    let from = 0;
    for (const [a, b] of spans) {
      for (let i = from; i < a; i++) position.push(marked.length + i - from);
      marked += text.slice(from, a) + '\u2068';
      for (let i = a; i < b; i++) position.push(marked.length + i - a);
      marked += text.slice(a, b) + '\u2069';
      from = b;
    }
    for (let i = from; i < text.length; i++) position.push(marked.length + i - from);
    marked += text.slice(from);
    const levels = bidi.getEmbeddingLevels(marked, direction).levels;
    return Uint8Array.from(position, (p) => levels[p]!);
  }

  /**
   * Splits a line into runs of one face and one bidi level, in logical order. `direction` forces
   * the paragraph direction (a wrapped line keeps its paragraph's); otherwise UAX #9 rules P2–P3
   * take it from the first strong character.
   */
  runs(text: string, weight: Weight = 'regular', direction: 'ltr' | 'rtl' | 'auto' = 'auto'): Run[] {
    const chain = fontChain()[weight];
    const levels = this.levels(text, direction);
    const mirrored = bidi.getMirroredCharactersMap(text, levels);
    const out: Run[] = [];
    let i = 0;
    for (const original of text) {
      const at = i;
      i += original.length;
      const level = levels[at]!;
      // A mirrored character (a bracket in a right-to-left run) is drawn as its mirror image.
      const ch = mirrored.get(at) ?? original;
      const cp = ch.codePointAt(0)!;
      const current = out[out.length - 1];
      let face: FaceRef | undefined;
      if (current && NEUTRAL.test(ch) && this.fontFor(current.face).hasGlyphForCodePoint(cp)) face = current.face;
      face ??= chain.find((f) => this.fontFor(f).hasGlyphForCodePoint(cp)) ?? chain[0];
      if (current && current.face.key === face.key && current.level === level) {
        current.text += ch;
      } else {
        out.push({ face, text: ch, level, isRtl: level % 2 === 1 });
      }
    }
    return out;
  }

  /**
   * Characters of `text` that would be drawn as .notdef (a box): those the face of their run has
   * no glyph for (format characters such as a zero-width non-joiner are shaping controls, not
   * drawn), and any .notdef glyph fontkit's shaping of the run produces.
   */
  missing(text: string, weight: Weight = 'regular'): string[] {
    const out = new Set<string>();
    for (const run of this.runs(text, weight)) {
      const font = this.fontFor(run.face);
      const before = out.size;
      for (const ch of run.text) if (!/[\s\p{Cf}]/u.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.add(ch);
      if (out.size === before && font.layout(drawn(run)).glyphs.some((g) => g.id === 0)) out.add(run.text);
    }
    return [...out];
  }

  private runWidth(run: Run, size: number): number {
    this.doc.font(run.face.key).fontSize(size);
    return this.doc.widthOfString(drawn(run), drawOptions(run) as never);
  }

  width(text: string, style: TextStyle): number {
    return this.runs(text, style.weight).reduce((sum, r) => sum + this.runWidth(r, style.size), 0);
  }

  /** Splits into lines no wider than `width`; a token wider than a line is broken by characters. */
  wrap(text: string, width: number, style: TextStyle): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split(/\r?\n/)) {
      const tokens = paragraph.match(/\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+/g) ?? [''];
      let line = '';
      for (const token of tokens) {
        const candidate = line + token;
        if (this.width(candidate.trimEnd(), style) <= width || line.trim() === '') {
          if (line.trim() === '' && this.width(token, style) > width && !/^\s+$/.test(token)) {
            // Overlong token (a hash, a URL): break by characters.
            let piece = line.trim() === '' ? '' : line;
            for (const ch of token) {
              if (this.width(piece + ch, style) > width && piece) {
                lines.push(piece);
                piece = '';
              }
              piece += ch;
            }
            line = piece;
          } else {
            line = candidate;
          }
        } else {
          lines.push(line.trimEnd());
          line = /^\s+$/.test(token) ? '' : token;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** Shortens to fit `width` with an ellipsis. */
  fit(text: string, width: number, style: TextStyle): string {
    if (this.width(text, style) <= width) return text;
    const chars = [...text];
    while (chars.length > 1 && this.width(chars.join('') + '…', style) > width) chars.pop();
    return chars.join('').trimEnd() + '…';
  }

  /** Draws one line with its baseline at `baseline`. Returns the width drawn. */
  line(text: string, x: number, baseline: number, style: TextStyle & { align?: 'left' | 'right' | 'center'; width?: number; direction?: 'ltr' | 'rtl' | 'auto' }): number {
    const runs = this.runs(text, style.weight, style.direction);
    const widths = runs.map((r) => this.runWidth(r, style.size));
    const total = widths.reduce((a, b) => a + b, 0);
    let cx = x;
    if (style.align === 'right' && style.width !== undefined) cx = x + style.width - total;
    if (style.align === 'center' && style.width !== undefined) cx = x + (style.width - total) / 2;
    this.doc.fillColor(style.color ?? '#1a1a1a');
    for (const i of visualOrder(runs.map((r) => r.level))) {
      const run = runs[i]!;
      this.doc.font(run.face.key).fontSize(style.size);
      // Scripts whose glyphs are reordered by shaping (a Devanagari vowel sign drawn before its
      // consonant, a reph after it) would reach copy, search and pdftotext in glyph order: the run
      // carries its text as ActualText, so the text layer has the name as it was written.
      const actual = REORDERING_SCRIPT.test(run.text);
      if (actual) this.doc.markContent('Span', { actual: run.text } as never);
      this.doc.text(drawn(run), cx, baseline, { lineBreak: false, baseline: 'alphabetic', ...drawOptions(run) } as never);
      if (actual) this.doc.endMarkedContent();
      cx += widths[i]!;
    }
    return total;
  }

  /** Draws wrapped text from `top`; returns the height used. */
  block(text: string, x: number, top: number, width: number, style: TextStyle & { lineHeight?: number; align?: 'left' | 'right' | 'center' }): number {
    const lh = style.lineHeight ?? style.size * 1.4;
    let n = 0;
    for (const paragraph of text.split(/\r?\n/)) {
      // every line of a wrapped paragraph keeps the paragraph's direction (UAX #9 P2–P3)
      const direction = (bidi.getEmbeddingLevels(paragraph).paragraphs[0]?.level ?? 0) % 2 === 1 ? 'rtl' : 'ltr';
      for (const l of this.wrap(paragraph, width, style)) this.line(l, x, top + n++ * lh + style.size * 0.95, { ...style, width, direction });
    }
    return n * lh;
  }

  blockHeight(text: string, width: number, style: TextStyle & { lineHeight?: number }): number {
    return this.wrap(text, width, style).length * (style.lineHeight ?? style.size * 1.4);
  }
}

/**
 * UAX #9 rule L2 on runs: from the highest level down to the lowest odd one, every maximal
 * sequence of runs at that level or above is reversed. Returns run indices in drawing order.
 */
export function visualOrder(levels: number[]): number[] {
  const order = levels.map((_, i) => i);
  if (levels.length === 0) return order;
  const highest = Math.max(...levels);
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < order.length; ) {
      if (levels[order[i]!]! < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && levels[order[j]!]! >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  return order;
}

// How a run reaches pdfkit. pdfkit shapes a string word by word unless `features` are given; then
// fontkit shapes the whole run at once and, for a run in a right-to-left script, lays its glyphs
// out right to left itself: exactly the reversal rule L2 asks for a run at an odd level. A
// right-to-left run without such letters (brackets, a quotation mark between two Hebrew letters set
// in another face) is left to right for fontkit, so its characters are reversed here.
const drawOptions = (run: Run) => (run.isRtl ? { features: [] } : {});

function drawn(run: Run): string {
  // Thai and Lao SARA AM: fontkit splits it into two glyphs and pdfkit maps the second one to no
  // character in the text layer, so the next real SARA AA (า) is lost to copy and search. Set as
  // its compatibility decomposition (NIKHAHIT + SARA AA), which looks the same, every letter stays.
  const text = run.text.replace(/\u0e33/g, '\u0e4d\u0e32').replace(/\u0eb3/g, '\u0ecd\u0eb2');
  return run.isRtl && !RTL_SCRIPT.test(text) ? [...text].reverse().join('') : text;
}

export const isBreakable = (ch: string) => BREAKABLE.test(ch);
