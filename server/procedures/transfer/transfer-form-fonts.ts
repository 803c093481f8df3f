import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { type PDFDocument, type PDFFont } from 'pdf-lib';
import subsetFont from 'subset-font';

// The transfer form is a legal document signed by people of any country: names print in embedded
// Noto fonts (TrueType, subset into the PDF by @pdf-lib/fontkit), Noto Sans for Latin, Greek and
// Cyrillic, Noto Sans JP for kana and kanji, SC and KR for the rest of Chinese and for Hangul.
// Each run of text takes the first face that has its glyphs; a character no face has prints as
// U+FFFD, never silently as another letter.

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export type FontWeight = 'regular' | 'bold';

interface Face {
  name: string;
  file: Record<FontWeight, () => string>;
}

const notoFace = (name: string, pkg: string, stem: string): Face => ({
  name,
  file: {
    regular: () => join(packageDir(pkg), '400Regular', `${stem}_400Regular.ttf`),
    bold: () => join(packageDir(pkg), '700Bold', `${stem}_700Bold.ttf`),
  },
});

const FACES: readonly Face[] = [
  notoFace('Noto Sans', '@expo-google-fonts/noto-sans', 'NotoSans'),
  notoFace('Noto Sans JP', '@expo-google-fonts/noto-sans-jp', 'NotoSansJP'),
  // After JP: a Chinese name takes JP's forms of the ideographs JP has (a signer's name carries no
  // language), SC's for simplified-only characters; Hangul is only in KR.
  notoFace('Noto Sans SC', '@expo-google-fonts/noto-sans-sc', 'NotoSansSC'),
  notoFace('Noto Sans KR', '@expo-google-fonts/noto-sans-kr', 'NotoSansKR'),
];

const REPLACEMENT = '\uFFFD';
const bytesCache = new Map<string, Buffer>();
const coverageCache = new Map<number, { hasGlyphForCodePoint(cp: number): boolean }>();

function fontBytes(face: Face, weight: FontWeight): Buffer {
  const key = `${face.name}:${weight}`;
  let bytes = bytesCache.get(key);
  if (!bytes) {
    bytes = readFileSync(face.file[weight]());
    bytesCache.set(key, bytes);
  }
  return bytes;
}

/** Glyph coverage of a face (its regular file; the bold files cover the same characters). */
function coverage(index: number): { hasGlyphForCodePoint(cp: number): boolean } {
  let font = coverageCache.get(index);
  if (!font) {
    font = fontkit.create(fontBytes(FACES[index] as Face, 'regular')) as unknown as {
      hasGlyphForCodePoint(cp: number): boolean;
    };
    coverageCache.set(index, font);
  }
  return font;
}

/** Index of the first face with a glyph for the code point; -1 when none has one. */
function faceFor(cp: number): number {
  for (let i = 0; i < FACES.length; i++) {
    if (coverage(i).hasGlyphForCodePoint(cp)) {
      return i;
    }
  }
  return -1;
}

export interface TextRun {
  text: string;
  font: PDFFont;
}

/** The embedded faces of one document, and text split into runs per face. */
export interface FormFonts {
  runs(text: string, weight: FontWeight): TextRun[];
  widthOf(text: string, weight: FontWeight, size: number): number;
  /** The faces embedded in the document (their names), for tests and the document's metadata. */
  embedded(): string[];
}

// Every form prints these besides its data (labels, dates, punctuation): always in the subsets.
const BASE_TEXT =
  Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('') +
  Array.from({ length: 0x100 - 0xa0 }, (_, i) => String.fromCharCode(0xa0 + i)).join('') +
  '—–…·’‘“”•€' +
  REPLACEMENT;

type Coverage = { hasGlyphForCodePoint(cp: number): boolean };

/**
 * Embeds the faces the given texts need (Noto Sans always) and returns the run splitter. Each face
 * is cut down to the characters used with HarfBuzz (subset-font) before embedding: pdf-lib's own
 * subsetting drops the TrueType hinting tables and poppler/FreeType then draw most glyphs empty.
 */
export async function embedFormFonts(doc: PDFDocument, texts: string[]): Promise<FormFonts> {
  doc.registerFontkit(fontkit);
  const all = BASE_TEXT + texts.join('');
  const needed = new Set<number>([0]);
  for (const ch of all) {
    const index = faceFor(ch.codePointAt(0) as number);
    if (index >= 0) {
      needed.add(index);
    }
  }
  const fonts = new Map<string, PDFFont>();
  const subsets = new Map<number, Coverage>();
  const unique = [...new Set(all)].join('');
  for (const index of [...needed].sort()) {
    for (const weight of ['regular', 'bold'] as const) {
      const face = FACES[index] as Face;
      const bytes = await subsetFont(fontBytes(face, weight), unique, { targetFormat: 'truetype' });
      if (weight === 'regular') {
        subsets.set(index, fontkit.create(bytes) as unknown as Coverage);
      }
      fonts.set(
        `${index}:${weight}`,
        await doc.embedFont(bytes, {
          subset: false,
          // A ligature (fi) would map back to the wrong text when the PDF's text is copied or read.
          features: { liga: false },
        }),
      );
    }
  }
  const order = [...needed].sort();
  const pick = (cp: number): number =>
    order.find((i) => (subsets.get(i) as Coverage).hasGlyphForCodePoint(cp)) ?? -1;
  const runs = (text: string, weight: FontWeight): TextRun[] => {
    const out: Array<{ text: string; index: number }> = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      // Spaces print in Noto Sans: read back from Noto Sans KR's subset, a space came out as
      // U+01C2 in pdf.js (a copied or searched name would not match).
      let index = /\p{Z}/u.test(ch) && order[0] === 0 ? 0 : pick(cp);
      let glyph = ch;
      if (index < 0) {
        glyph = REPLACEMENT;
        index = 0;
      }
      const last = out.at(-1);
      // Punctuation the current face also has stays in its run (fewer font switches).
      if (
        last &&
        (last.index === index ||
          (/[\p{P}\p{S}]/u.test(glyph) &&
            (subsets.get(last.index) as Coverage).hasGlyphForCodePoint(cp)))
      ) {
        last.text += glyph;
      } else {
        out.push({ text: glyph, index });
      }
    }
    return out.map((r) => ({ text: r.text, font: fonts.get(`${r.index}:${weight}`) as PDFFont }));
  };
  return {
    runs,
    widthOf: (text, weight, size) =>
      runs(text, weight).reduce((sum, r) => sum + r.font.widthOfTextAtSize(r.text, size), 0),
    embedded: () => order.map((i) => (FACES[i] as Face).name),
  };
}
