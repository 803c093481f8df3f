import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A PDF read back as a reader would: its metadata and its text, line by line (pdf.js). */
export async function pdfText(bytes: Uint8Array): Promise<{
  pages: number;
  title?: string;
  subject?: string;
  text: string;
  pageTexts: string[];
}> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  try {
    const meta = (await doc.getMetadata()).info as { Title?: string; Subject?: string };
    const pageTexts: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) {
          text += item.str + (item.hasEOL ? '\n' : '');
        }
      }
      pageTexts.push(text);
    }
    return {
      pages: doc.numPages,
      ...(meta.Title ? { title: meta.Title } : {}),
      ...(meta.Subject ? { subject: meta.Subject } : {}),
      text: pageTexts.join('\n'),
      pageTexts,
    };
  } finally {
    await doc.destroy();
  }
}

const PDFTOPPM = process.env.PDFTOPPM_PATH ?? '/usr/bin/pdftoppm';

/** Whether poppler's pdftoppm is installed (Debian: poppler-utils). */
export const havePdftoppm = spawnSync(PDFTOPPM, ['-v']).status === 0;

/**
 * Renders every page to PNG with pdftoppm (poppler, the renderer of most Linux PDF viewers) and
 * returns the PNG files' bytes; `keepIn` also writes them there (to look at them).
 */
export function renderPdfToPng(bytes: Uint8Array, dpi = 60, keepIn?: string): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-render-'));
  try {
    writeFileSync(join(dir, 'form.pdf'), bytes);
    const run = spawnSync(PDFTOPPM, ['-png', '-r', String(dpi), 'form.pdf', 'page'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (run.status !== 0) {
      throw new Error(`pdftoppm failed: ${run.stderr}`);
    }
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
    if (keepIn) {
      for (const f of files) {
        writeFileSync(join(keepIn, f), readFileSync(join(dir, f)));
      }
    }
    return files.map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
