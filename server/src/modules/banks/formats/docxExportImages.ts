/**
 * Stored images as inline pictures of an exported Word file (issue 18). The picture carries the
 * stored bytes unchanged, so mammoth reads the same bytes back on import and the image store
 * gives them the same id. Word cannot show WebP: such an image stays a "[ảnh]" mark.
 */
import { ImageRun, type ParagraphChild, TextRun } from 'docx';
import { asBuffer, type ExportImages, imageSize, storedImage } from './exportImages.js';

/** Widest picture on an A4 page with the default margins, in pixels (6.3 in at 96 dpi). */
const MAX_WIDTH = 605;

const DOCX_TYPE: Record<string, 'png' | 'jpg' | 'gif'> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };

function px(v: string | undefined): number | undefined {
  const n = v && /^\d{1,5}$/.test(v.trim()) ? Number(v) : undefined;
  return n && n > 0 ? n : undefined;
}

/** The run for an `<img>` of question HTML: the picture when its bytes were given, else the "[ảnh]" mark. */
export function docxImageRun(
  attrs: { src?: string; alt?: string; width?: string; height?: string },
  images: ExportImages | undefined,
): ParagraphChild {
  const img = storedImage(attrs.src ?? '', images);
  const type = img ? DOCX_TYPE[img.mime] : undefined;
  const size = img ? imageSize(img.bytes) : null;
  if (!img || !type || !size || size.width === 0 || size.height === 0) return new TextRun({ text: '[ảnh]', italics: true });
  // the size the question asks for (width/height attributes), else the picture's own, kept within the page
  let width = px(attrs.width) ?? size.width;
  let height = px(attrs.height) ?? Math.round((width * size.height) / size.width);
  if (width > MAX_WIDTH) {
    height = Math.max(1, Math.round((height * MAX_WIDTH) / width));
    width = MAX_WIDTH;
  }
  const alt = attrs.alt?.trim();
  return new ImageRun({
    type,
    data: asBuffer(img.bytes),
    transformation: { width, height },
    ...(alt ? { altText: { name: alt.slice(0, 100), description: alt, title: alt.slice(0, 100) } } : {}),
  });
}
