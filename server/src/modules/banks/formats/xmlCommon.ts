/**
 * Helpers shared by the XML formats (Moodle XML, QTI): reading with fast-xml-parser, line numbers
 * of elements, images carried in the file turned into data: URIs (the sanitizer then moves them
 * into the image store), and writing text safely into XML.
 */
import { XMLValidator } from 'fast-xml-parser';
import { sniffImage } from '../sanitize.js';

/** The first syntax error of an XML document (line and message), or null when it is well formed. */
export function xmlSyntaxError(text: string): { line: number; message: string } | null {
  const r = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (r === true) return null;
  return { line: r.err.line, message: r.err.msg };
}

/** 1-based line of each start of `<name` (followed by a space, `>` or `/`), in document order. */
export function elementLines(text: string, name: string): number[] {
  const re = new RegExp(`<${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s>/]`, 'g');
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = text.indexOf('\n', last); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}

/** Bytes of an image as a data: URI, or null when they are not a PNG/JPEG/GIF/WebP image. */
export function imageDataUri(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mime = sniffImage(buf);
  return mime ? `data:${mime};base64,${buf.toString('base64')}` : null;
}

/** Text for an XML attribute or element. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text in a CDATA section ("]]>" split across two sections). */
export function cdata(s: string): string {
  return `<![CDATA[${s.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** Plain text as HTML (formats that declare a plain-text field). */
export function plainToHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A value read by fast-xml-parser as one string (text node, attribute, or the first of a list). */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object' && '#text' in v) return str(v['#text']);
  return '';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}
