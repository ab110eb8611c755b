// Multi-script line setting on top of pdfkit: font fallback per run, a simplified bidi (right-to-
// left runs for Arabic script, word order reversed because pdfkit shapes word by word), greedy
// wrapping with break opportunities at spaces and between CJK characters.
import type PDFDocument from 'pdfkit';
import { fontChain, type FaceRef, type Weight } from './fonts.js';

type Doc = InstanceType<typeof PDFDocument>;

interface GlyphFont {
  hasGlyphForCodePoint(cp: number): boolean;
}

interface Run {
  face: FaceRef;
  text: string;
  isRtl: boolean;
}

export interface TextStyle {
  size: number;
  weight?: Weight;
  color?: string;
}

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const HEBREW = /[\u0590-\u05ff]/;
// Characters that do not decide a font: stay in the current run when it can show them.
const NEUTRAL = /[\s\u200b-\u200f\u2060\u00a0.,:;!?'"()[\]{}\-–—/\\|&%+*#@0-9\u060c\u061b\u061f\u066a-\u066c]/;
const BREAKABLE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

export class Typesetter {
  private readonly doc: Doc;
  private readonly glyphs = new Map<string, GlyphFont>();

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

  runs(text: string, weight: Weight = 'regular'): Run[] {
    const chain = fontChain()[weight];
    const out: Run[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const current = out[out.length - 1];
      let face: FaceRef | undefined;
      if (current && NEUTRAL.test(ch) && this.fontFor(current.face).hasGlyphForCodePoint(cp)) face = current.face;
      face ??= chain.find((f) => this.fontFor(f).hasGlyphForCodePoint(cp)) ?? chain[0];
      const isRtl = ARABIC.test(ch) || HEBREW.test(ch);
      if (current && current.face.key === face.key && (current.isRtl === isRtl || NEUTRAL.test(ch))) {
        current.text += ch;
      } else {
        out.push({ face, text: ch, isRtl });
      }
    }
    return out;
  }

  private runWidth(run: Run, size: number): number {
    this.doc.font(run.face.key).fontSize(size);
    return run.isRtl ? this.doc.widthOfString(visualRtl(run.text), { features: [] } as never) : this.doc.widthOfString(run.text);
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
  line(text: string, x: number, baseline: number, style: TextStyle & { align?: 'left' | 'right' | 'center'; width?: number }): number {
    const runs = this.runs(text, style.weight);
    const widths = runs.map((r) => this.runWidth(r, style.size));
    const total = widths.reduce((a, b) => a + b, 0);
    let cx = x;
    if (style.align === 'right' && style.width !== undefined) cx = x + style.width - total;
    if (style.align === 'center' && style.width !== undefined) cx = x + (style.width - total) / 2;
    // Paragraph direction from the first strong character: a name in Persian keeps its Latin
    // parts (a legal form, an acronym) on the left, as a reader of Persian expects.
    const firstStrong = [...text].find((c) => /\p{L}/u.test(c));
    const isRtlParagraph = !!firstStrong && (ARABIC.test(firstStrong) || HEBREW.test(firstStrong));
    const order = runs.map((_, i) => i);
    if (isRtlParagraph) order.reverse();
    this.doc.fillColor(style.color ?? '#1a1a1a');
    for (const i of order) {
      const run = runs[i]!;
      this.doc.font(run.face.key).fontSize(style.size);
      const shown = run.isRtl ? visualRtl(run.text) : run.text;
      const options = { lineBreak: false, baseline: 'alphabetic', ...(run.isRtl ? { features: [] } : {}) };
      this.doc.text(shown, cx, baseline, options as never);
      cx += widths[i]!;
    }
    return total;
  }

  /** Draws wrapped text from `top`; returns the height used. */
  block(text: string, x: number, top: number, width: number, style: TextStyle & { lineHeight?: number; align?: 'left' | 'right' | 'center' }): number {
    const lh = style.lineHeight ?? style.size * 1.4;
    const lines = this.wrap(text, width, style);
    lines.forEach((l, i) => this.line(l, x, top + i * lh + style.size * 0.95, { ...style, width }));
    return lines.length * lh;
  }

  blockHeight(text: string, width: number, style: TextStyle & { lineHeight?: number }): number {
    return this.wrap(text, width, style).length * (style.lineHeight ?? style.size * 1.4);
  }
}

// pdfkit lays out a string word by word and fontkit reverses the glyphs of each right-to-left
// word; reversing the word order completes a right-to-left line.
function visualRtl(text: string): string {
  const lead = /^\s*/.exec(text)![0];
  const trail = /\s*$/.exec(text)![0];
  return trail + text.trim().split(/(\s+)/).reverse().join('') + lead;
}

export const isBreakable = (ch: string) => BREAKABLE.test(ch);
