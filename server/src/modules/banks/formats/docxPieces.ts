/**
 * A Word file made ready for mammoth (docxParse.ts), in pieces. Red runs get a red highlight
 * (mammoth keeps highlights, not colours); equations and embedded objects become a visible marker.
 * A large file is cut into several smaller Word files at the start of a question ("Câu N"), each
 * read by mammoth on its own: mammoth holds a whole document's XML tree and model in memory (a bank
 * of 20,000 questions needs more than the import process's 768 MB heap, and the garbage collector
 * then takes most of the time), while a piece of ~1 MB needs a few tens of MB, whatever the file's
 * size. Pieces are cut between top-level elements of the body only, so a table or a list is never
 * split; each piece keeps the package's styles, numbering and relationships, and only the images it
 * refers to.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

export const EQUATION = '\u27E6CT\u27E7';
export const OBJECT = '\u27E6DT\u27E7';

/** Bytes of document.xml per piece (about 1,000 questions of a plain bank). */
export const PIECE_BYTES = 1_000_000;

function markRedAndObjects(xml: string): string {
  return xml
    .replace(/<m:oMathPara\b[\s\S]*?<\/m:oMathPara>/g, `<w:r><w:t>${EQUATION}</w:t></w:r>`)
    .replace(/<m:oMath\b[\s\S]*?<\/m:oMath>/g, `<w:r><w:t>${EQUATION}</w:t></w:r>`)
    .replace(/<w:object\b[\s\S]*?<\/w:object>/g, `<w:t>${OBJECT}</w:t>`)
    .replace(/<w:rPr>([\s\S]*?)<\/w:rPr>/g, (m, inner: string) => {
      const c = /<w:color w:val="([0-9A-Fa-f]{6})"/.exec(inner)?.[1];
      if (!c || /<w:highlight\b/.test(inner)) return m;
      const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
      const red = (r ?? 0) >= 0xb0 && (g ?? 255) <= 0x60 && (b ?? 255) <= 0x60;
      return red ? `<w:rPr>${inner}<w:highlight w:val="red"/></w:rPr>` : m;
    });
}

const QUESTION_TEXT = /^\s*Câu\s*(?:số\s*)?\d/i;

/** Does this top-level element (a paragraph) start a question? Its text runs, joined. */
function startsQuestion(element: string): boolean {
  if (!element.startsWith('<w:p') || !/^<w:p[\s>]/.test(element)) return false;
  let text = '';
  for (const m of element.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)) {
    text += m[1] ?? '';
    if (text.length > 20) break;
  }
  return QUESTION_TEXT.test(text);
}

/**
 * The body's top-level elements cut into pieces of about `pieceBytes`, each starting at a question.
 * Returns null when the body cannot be cut safely (no body, comments or CDATA in it).
 */
function bodyPieces(xml: string, pieceBytes: number): { head: string; tail: string; pieces: string[] } | null {
  const open = /<w:body(?:\s[^>]*)?>/.exec(xml);
  const close = xml.lastIndexOf('</w:body>');
  if (!open || close < 0) return null;
  const from = open.index + open[0].length;
  const body = xml.slice(from, close);
  if (body.includes('<!--') || body.includes('<![CDATA[')) return null;
  const pieces: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(\/?)>/g;
  let depth = 0;
  let pieceStart = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (m[1] === '/') depth--;
    else if (m[3] !== '/') depth++;
    if (depth < 0) return null;
    // inside an element, or a piece not yet full: go on
    if (depth > 0 || tag.lastIndex - pieceStart < pieceBytes) continue;
    // a top-level element ends here: a new piece starts if the next one starts a question
    const next = body.indexOf('<', tag.lastIndex);
    if (next < 0) continue;
    const nextEnd = body.indexOf('</w:p>', next);
    if (!startsQuestion(body.slice(next, nextEnd < 0 ? body.length : nextEnd))) continue;
    pieces.push(body.slice(pieceStart, next));
    pieceStart = next;
  }
  if (depth !== 0) return null;
  pieces.push(body.slice(pieceStart));
  return { head: xml.slice(0, from), tail: xml.slice(close), pieces };
}

/** Image and embedding files by the relationship ids document.xml uses for them. */
function mediaIds(files: Record<string, Uint8Array>): Map<string, string[]> {
  const rels = files['word/_rels/document.xml.rels'];
  const byFile = new Map<string, string[]>();
  if (!rels) return byFile;
  for (const m of strFromU8(rels).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (!id || !target || /\bTargetMode="External"/.test(m[0])) continue;
    const path = target.startsWith('/') ? target.slice(1) : `word/${target}`;
    byFile.set(path, [...(byFile.get(path) ?? []), id]);
  }
  return byFile;
}

/** The Word file as one or more Word files for mammoth, in document order. */
export function docxPieces(data: Buffer, pieceBytes = PIECE_BYTES): Buffer[] {
  const files = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const doc = files['word/document.xml'];
  if (!doc) return [data];
  const xml = markRedAndObjects(strFromU8(doc));
  const split = xml.length > pieceBytes ? bodyPieces(xml, pieceBytes) : null;
  if (!split || split.pieces.length < 2) {
    files['word/document.xml'] = strToU8(xml);
    return [Buffer.from(zipSync(files, { level: 0 }))];
  }
  const ids = mediaIds(files);
  const heavy = (name: string) => name.startsWith('word/media/') || name.startsWith('word/embeddings/');
  return split.pieces.map((piece) => {
    const used = new Set([...piece.matchAll(/\br:(?:embed|id|link|pict)="([^"]+)"/g)].map((m) => m[1]));
    const part: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(files)) {
      if (name === 'word/document.xml') continue;
      // an image goes only into the pieces that show it
      if (heavy(name) && !(ids.get(name) ?? []).some((id) => used.has(id))) continue;
      part[name] = bytes;
    }
    part['word/document.xml'] = strToU8(`${split.head}${piece}${split.tail}`);
    return Buffer.from(zipSync(part, { level: 0 }));
  });
}
