import { type PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { type FontWeight, type FormFonts } from './transfer-form-fonts.js';
import { PAGE } from './transfer-form-page.js';

// A small flow layout for the transfer form: lines of mixed-script text (one run per font),
// wrapping at spaces (or between characters for text without spaces, e.g. Japanese), page breaks,
// and a footer on every page.

const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.6, 0.6, 0.6);

export interface TextStyle {
  size: number;
  weight?: FontWeight;
  muted?: boolean;
}

export class FormWriter {
  page: PDFPage;
  y: number;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FormFonts,
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  get contentWidth(): number {
    return PAGE.width - 2 * PAGE.margin;
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  /** Starts a new page unless `height` points still fit above the bottom margin (and footer). */
  need(height: number): void {
    if (this.y - height < PAGE.margin + 14) {
      this.newPage();
    }
  }

  width(text: string, style: TextStyle): number {
    return this.fonts.widthOf(text, style.weight ?? 'regular', style.size);
  }

  /** Draws one line at (x, current y) without moving down. */
  draw(text: string, x: number, style: TextStyle): void {
    let cursor = x;
    for (const run of this.fonts.runs(text, style.weight ?? 'regular')) {
      this.page.drawText(run.text, {
        x: cursor,
        y: this.y,
        size: style.size,
        font: run.font,
        color: style.muted ? MUTED : INK,
      });
      cursor += run.font.widthOfTextAtSize(run.text, style.size);
    }
  }

  /** Splits text into lines no wider than `width`. */
  wrap(text: string, style: TextStyle, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/(?<=\s)/)) {
        const candidate = line + word;
        if (this.width(candidate.trimEnd(), style) <= width) {
          line = candidate;
          continue;
        }
        if (line) {
          lines.push(line.trimEnd());
          line = '';
        }
        // A word wider than the line (long ids, text without spaces): break between characters.
        for (const ch of word) {
          if (line && this.width((line + ch).trimEnd(), style) > width) {
            lines.push(line.trimEnd());
            line = '';
          }
          line += ch;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** A wrapped paragraph at x, moving down. */
  paragraph(text: string, style: TextStyle, x = PAGE.margin, width = this.contentWidth): void {
    const lineHeight = style.size * 1.35;
    for (const line of this.wrap(text, style, width)) {
      this.need(lineHeight);
      this.draw(line, x, style);
      this.y -= lineHeight;
    }
  }

  heading(text: string, size = 12): void {
    this.need(size + 40);
    this.draw(text, PAGE.margin, { size, weight: 'bold' });
    this.y -= 5;
    this.rule();
    this.y -= size + 2;
  }

  rule(x1: number = PAGE.margin, x2: number = PAGE.width - PAGE.margin, thickness = 0.5): void {
    this.page.drawLine({
      start: { x: x1, y: this.y },
      end: { x: x2, y: this.y },
      thickness,
      color: RULE,
    });
  }

  /** Label/value rows; the value wraps in its column. */
  rows(rows: Array<[string, string]>, labelWidth = 150, size = 10): void {
    const lineHeight = size * 1.3;
    for (const [label, value] of rows) {
      const lines = this.wrap(value, { size }, this.contentWidth - labelWidth);
      this.need(lines.length * lineHeight + 2);
      this.draw(label, PAGE.margin, { size, weight: 'bold' });
      for (const line of lines) {
        this.draw(line, PAGE.margin + labelWidth, { size });
        this.y -= lineHeight;
      }
      this.y -= 2;
    }
  }

  /** A table with fixed column widths; cells wrap, a row never splits across pages. */
  table(columns: Array<{ title: string; width: number }>, rows: string[][], size = 8.5): void {
    const lineHeight = size * 1.3;
    const header = () => {
      let x = PAGE.margin;
      for (const c of columns) {
        this.draw(c.title, x, { size, weight: 'bold' });
        x += c.width;
      }
      this.y -= 4;
      this.rule();
      this.y -= lineHeight;
    };
    this.need(lineHeight * 3);
    header();
    for (const row of rows) {
      const cells = row.map((cell, i) => this.wrap(cell, { size }, (columns[i]?.width ?? 100) - 6));
      const height = Math.max(...cells.map((c) => c.length)) * lineHeight + 4;
      if (this.y - height < PAGE.margin + 14) {
        this.newPage();
        header();
      }
      const top = this.y;
      let x = PAGE.margin;
      cells.forEach((lines, i) => {
        this.y = top;
        for (const line of lines) {
          this.draw(line, x, { size });
          this.y -= lineHeight;
        }
        x += columns[i]?.width ?? 100;
      });
      this.y = top - height + lineHeight;
      this.rule(PAGE.margin, PAGE.width - PAGE.margin, 0.25);
      this.y -= lineHeight;
    }
  }

  /** "Page n of N" and a note at the foot of every page. */
  footers(note: string): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      this.page = page;
      this.y = PAGE.margin - 20;
      this.draw(note, PAGE.margin, { size: 7, muted: true });
      const label = `Page ${i + 1} of ${pages.length}`;
      this.draw(label, PAGE.width - PAGE.margin - this.width(label, { size: 7 }), {
        size: 7,
        muted: true,
      });
    });
  }
}
