/**
 * Images carried inside exported files (issue 18). A bank's HTML refers to stored images as
 * `/api/images/<sha256>`; an export that leaves the platform must carry the bytes: the QTI
 * package as files beside the items, Moodle XML as `<file encoding="base64">` (as Moodle writes
 * them), Word as inline pictures. The server reads the images a bank shows (BanksService.exportImages)
 * and hands them to the export with the bank; an export finds them here by id. Our import stores
 * what it reads under the SHA-256 of the bytes, so a round trip gives back the same id.
 */
import { IMAGE_URL_PREFIX, sniffImage } from '../sanitize.js';

/** One stored image, as sent to the export process. */
export interface ExportImage {
  mime: string;
  bytes: Uint8Array;
}

/** The images of a bank, by id (the SHA-256 hex of the bytes). */
export type ExportImages = Record<string, ExportImage>;

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** The file name an exported image gets: its id and the extension of its type ("<sha256>.png"). */
export function imageFileName(id: string, mime: string): string {
  return `${id}.${EXT[mime] ?? 'bin'}`;
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The image a `src` names when it is one of ours and its bytes were given (and are still an image). */
export function storedImage(src: string, images: ExportImages | undefined): (ExportImage & { id: string }) | null {
  if (!images || !src.startsWith(IMAGE_URL_PREFIX)) return null;
  const id = src.slice(IMAGE_URL_PREFIX.length);
  const img = /^[0-9a-f]{64}$/.test(id) ? images[id] : undefined;
  if (!img || sniffImage(asBuffer(img.bytes)) !== img.mime) return null;
  return { id, ...img };
}

/**
 * Rewrites the `src` of every `<img>` whose image was given: `to(image)` returns the new
 * reference. The images met are returned in order (once each), for the caller to write beside.
 */
export function relinkImages(
  html: string,
  images: ExportImages | undefined,
  to: (img: ExportImage & { id: string }) => string,
): { html: string; used: (ExportImage & { id: string })[] } {
  const used = new Map<string, ExportImage & { id: string }>();
  const out = html.replace(/(<img\b[^>]*?\ssrc=")([^"]*)(")/g, (m, head: string, src: string, tail: string) => {
    const img = storedImage(src, images);
    if (!img) return m;
    used.set(img.id, img);
    return `${head}${to(img)}${tail}`;
  });
  return { html: out, used: [...used.values()] };
}

/** Width and height in pixels from a PNG, GIF or JPEG header; null for anything else. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = asBuffer(bytes);
  if (b.length > 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 10 && b.subarray(0, 3).toString('latin1') === 'GIF')
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    // walk the JPEG segments to the first start-of-frame marker (SOF0…SOF15 except DHT, JPG, DAC)
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] ?? 0;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
        i += marker === 0xff ? 1 : 2;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
  }
  return null;
}
