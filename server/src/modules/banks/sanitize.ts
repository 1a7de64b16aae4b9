import { createHash } from 'node:crypto';
import sanitizeHtml from 'sanitize-html';

export interface StoredImage {
  id: string;
  mime: string;
  bytes: Buffer;
}

const IMAGE_MIMES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const IMAGE_URL_PREFIX = '/api/images/';

/** Sniffs the real type from the first bytes; never trust a declared type. */
export function sniffImage(bytes: Buffer): string | null {
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (
    bytes.length > 6 &&
    (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a')
  )
    return 'image/gif';
  if (
    bytes.length > 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export function imageFromBytes(bytes: Buffer): StoredImage | null {
  const mime = sniffImage(bytes);
  if (!mime) return null;
  return { id: createHash('sha256').update(bytes).digest('hex'), mime, bytes };
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'sub',
    'sup',
    'ul',
    'ol',
    'li',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
    'img',
    'span',
    'code',
    'pre',
    'hr',
  ],
  allowedAttributes: {
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    ol: ['start', 'type'],
  },
  allowedSchemes: [],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/**
 * Cleans question HTML: only formatting tags survive, no script, no event handlers, no styles,
 * no links out. Embedded images (data: URIs) are moved into the image store and referenced as
 * /api/images/<sha256>; images pointing anywhere else are dropped, since exam labs have no
 * outside network and an outside URL would leak who is taking the exam.
 */
export function sanitizeRichText(html: string, collect?: StoredImage[]): string {
  if (!/[<>&]/.test(html)) return html.trim();
  return sanitizeHtml(html, {
    ...OPTIONS,
    allowedSchemesAppliedToAttributes: ['src'],
    transformTags: {
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        const out = { ...attribs };
        if (src.startsWith(IMAGE_URL_PREFIX) && /^[0-9a-f]{64}$/.test(src.slice(IMAGE_URL_PREFIX.length))) {
          return { tagName, attribs: out };
        }
        const m = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/.exec(src);
        if (m?.[2] && collect) {
          const img = imageFromBytes(Buffer.from(m[2], 'base64'));
          if (img && IMAGE_MIMES.has(img.mime)) {
            collect.push(img);
            out.src = IMAGE_URL_PREFIX + img.id;
            return { tagName, attribs: out };
          }
        }
        return { tagName: 'span', attribs: {}, text: attribs.alt ?? '' };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  }).trim();
}

/** The stored images a piece of sanitized HTML refers to. */
export function imageIdsIn(html: string): string[] {
  const ids: string[] = [];
  const re = /\/api\/images\/([0-9a-f]{64})/g;
  for (let m = re.exec(html); m; m = re.exec(html)) if (m[1]) ids.push(m[1]);
  return ids;
}
