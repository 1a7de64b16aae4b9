/**
 * QTI (1EdTech Question and Test Interoperability) 2.1 / 2.2 and 3.0 choice items, in an IMS
 * content package (a zip with imsmanifest.xml), read with fast-xml-parser and fflate.
 *
 * Import: the manifest's item resources in order (a lone item XML file is read as one item);
 * QTI 3 names (qti-choice-interaction, max-choices…) are read as their QTI 2 equivalents.
 *  - an item whose body holds exactly one choiceInteraction is imported: cardinality single →
 *    single, multiple → multiple (right = the correctResponse values; partial credit when it is
 *    scored with a mapping and the map_response template), `fixed="true"` → a pinned option;
 *  - the item body around the interaction and the prompt become the stem, each simpleChoice's
 *    content an option; images are taken from the package (relative to the item) into the image
 *    store; the item's title is kept as the title, its identifier becomes the ref;
 *  - any other interaction (text entry, extended text, inline choice, order, hotspot…) is
 *    reported as skipped with its name. Items are numbered in the report by their place in the
 *    manifest (1, 2, …), and the message names the file.
 * Our export adds, in each resource's <metadata>, an element of our own namespace with what QTI
 * has no place for (topic, difficulty, status, legal basis, explanation, tags), and the topic tree
 * in the manifest's <metadata>: a round trip gives back an equal bank. Topic and difficulty of a
 * foreign package come from ParseOptions (defaults chosen on import).
 *
 * Export: QTI 2.1 (valid against imsqti_v2p1.xsd and imscp_v1p1.xsd) or QTI 3.0 (valid against
 * 1EdTech's QTI 3.0 XSDs; the tests check both with xmllint), one item file per question under
 * items/, the images it shows under items/images/ (listed in its resource in the manifest).
 */
import {
  type BankFile,
  type BankOption,
  type BankQuestion,
  type BankTopic,
  DIFFICULTIES,
  type Difficulty,
  optionIdAt,
  type ParsedImport,
  QUESTION_STATUSES,
  type QuestionStatus,
} from '@exam/shared';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { AppError } from '../../../plugins/errors.js';
import { checkZip, QTI_MAX_ZIP_ENTRIES } from '../../imports/limits.js';
import {
  Issues,
  isTrueFalseText,
  type ParsedQuestion,
  type ParseOptions,
  RefMaker,
  trueFalseOptions,
  withSourceRow,
} from './common.js';
import { asBuffer, type ExportImages, imageFileName, relinkImages } from './exportImages.js';
import { asArray, imageDataUri, isRecord, str, xmlEscape, xmlSyntaxError } from './xmlCommon.js';

export type QtiVersion = '2.1' | '3.0';
export const VN_NS = 'urn:vn-exam-bank:1';

type ONode = Record<string, unknown>;

const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  // callbacks get the path matcher, not its string: building that string for every tag costs a fifth of the parse
  jPath: false,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
});
const plain = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  htmlEntities: true,
  isArray: (name) => ['resource', 'file', 'topic', 'tag'].includes(name),
  // callbacks get the path matcher, not its string: building that string for every tag costs a fifth of the parse
  jPath: false,
});

/** QTI 3 "qti-choice-interaction" / "max-choices" → QTI 2 "choiceInteraction" / "maxChoices"; namespace prefixes dropped. */
function norm(name: string): string {
  const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
  const n = local.startsWith('qti-') ? local.slice(4) : local;
  return n.startsWith('data-') ? n : n.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function tagOf(n: ONode): string {
  return Object.keys(n).find((k) => k !== ':@') ?? '';
}
function kids(n: ONode): ONode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}
function attr(n: ONode, name: string): string {
  const a = n[':@'];
  if (!isRecord(a)) return '';
  for (const [k, v] of Object.entries(a)) if (norm(k.slice(2)) === name) return str(v);
  return '';
}
function find(nodes: ONode[], name: string): ONode | undefined {
  for (const n of nodes) {
    if (norm(tagOf(n)) === name) return n;
    const inner = find(kids(n), name);
    if (inner) return inner;
  }
  return undefined;
}
function findAll(nodes: ONode[], test: (name: string) => boolean, out: ONode[] = []): ONode[] {
  for (const n of nodes) {
    const t = tagOf(n);
    if (t !== '#text' && test(norm(t))) out.push(n);
    else findAll(kids(n), test, out);
  }
  return out;
}

/** A path inside the package relative to the item file ("items/q.xml" + "../img/a.png" → "img/a.png"). */
function resolvePath(base: string, href: string): string {
  const parts = base.split('/').slice(0, -1);
  for (const p of href.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** Copy of the nodes ready to be written as HTML: images from the package, QTI 3 underline classes back to <u>. */
function toHtmlNodes(nodes: ONode[], itemPath: string, files: Map<string, Uint8Array>, warn: (m: string) => void): ONode[] {
  return nodes.map((n) => {
    const tag = tagOf(n);
    if (tag === '#text') return n;
    const a = isRecord(n[':@']) ? { ...n[':@'] } : {};
    let name = tag.includes(':') ? tag.slice(tag.indexOf(':') + 1) : tag;
    if (name === 'img') {
      const src = str(a['@_src']);
      if (!/^(data:|\/api\/images\/)/.test(src)) {
        const bytes = files.get(resolvePath(itemPath, decodeURIComponent(src)));
        const uri = bytes ? imageDataUri(bytes) : null;
        if (uri) a['@_src'] = uri;
        else warn(`Ảnh "${src}" không có trong gói hoặc không phải ảnh PNG, JPEG, GIF, WebP`);
      }
    }
    if (name === 'span' && /\bqti-underline\b/.test(str(a['@_class']))) {
      name = 'u';
      delete a['@_class'];
    } else if (name === 'span' && /\bqti-line-through\b/.test(str(a['@_class']))) {
      name = 's';
      delete a['@_class'];
    }
    const out: ONode = { [name]: toHtmlNodes(kids(n), itemPath, files, warn) };
    if (Object.keys(a).length) out[':@'] = a;
    return out;
  });
}

function html(nodes: ONode[]): string {
  const s: unknown = builder.build(nodes);
  return typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : '';
}

const BLOCK = /<(p|div|table|ul|ol|blockquote|pre)[\s>]/;

interface ItemMeta {
  ref?: string;
  type?: string;
  topic?: string;
  difficulty?: Difficulty;
  status?: QuestionStatus;
  partialCredit?: boolean;
  legalBasis?: string;
  explanation?: string;
  tags: string[];
}

function readMeta(resource: Record<string, unknown>): ItemMeta | undefined {
  const md = isRecord(resource.metadata) ? resource.metadata : undefined;
  const q = md && isRecord(md.question) ? md.question : undefined;
  if (!q) return undefined;
  const difficulty = DIFFICULTIES.find((d) => d === str(q['@_difficulty']));
  const status = QUESTION_STATUSES.find((s) => s === str(q['@_status']));
  const m: ItemMeta = {
    tags: asArray(q.tag)
      .map((t) => str(t))
      .filter(Boolean),
  };
  if (str(q['@_ref'])) m.ref = str(q['@_ref']);
  if (str(q['@_type'])) m.type = str(q['@_type']);
  if (str(q['@_topic'])) m.topic = str(q['@_topic']);
  if (difficulty) m.difficulty = difficulty;
  if (status) m.status = status;
  if (str(q['@_partialCredit']) === 'true') m.partialCredit = true;
  if (str(q.legalBasis)) m.legalBasis = str(q.legalBasis);
  if (str(q.explanation)) m.explanation = str(q.explanation);
  return m;
}

export function parseQti(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  const topics: BankTopic[] = [];
  const files = new Map<string, Uint8Array>();
  const items: { path: string; meta?: ItemMeta }[] = [];

  if (checkZip(data, QTI_MAX_ZIP_ENTRIES, 'Gói QTI')) {
    try {
      const all = unzipSync(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      for (const [name, bytes] of Object.entries(all)) files.set(name.replace(/^\.?\//, ''), bytes);
    } catch {
      issues.error(0, undefined, 'QTI_ZIP_INVALID', 'Không giải nén được gói QTI (.zip)');
      return { topics, questions, issues: issues.list };
    }
    const manifestBytes = files.get('imsmanifest.xml');
    if (!manifestBytes) {
      issues.error(0, undefined, 'QTI_MANIFEST_MISSING', 'Gói QTI không có tệp imsmanifest.xml ở thư mục gốc');
      return { topics, questions, issues: issues.list };
    }
    const manifestText = strFromU8(manifestBytes);
    const err = xmlSyntaxError(manifestText);
    if (err) {
      issues.error(0, 'imsmanifest.xml', 'XML_SYNTAX', `imsmanifest.xml không hợp lệ ở dòng ${err.line}: ${err.message}`);
      return { topics, questions, issues: issues.list };
    }
    const doc: unknown = plain.parse(manifestText);
    const manifest = isRecord(doc) && isRecord(doc.manifest) ? doc.manifest : {};
    const md = isRecord(manifest.metadata) ? manifest.metadata : {};
    const bank = isRecord(md.bank) ? md.bank : undefined;
    for (const t of asArray(bank?.topic)) {
      if (!isRecord(t) || !str(t['@_code'])) continue;
      const topic: BankTopic = { code: str(t['@_code']), name: str(t['@_name']) || str(t['@_code']) };
      if (str(t['@_parent'])) topic.parent = str(t['@_parent']);
      topics.push(topic);
    }
    const resources = isRecord(manifest.resources) ? asArray(manifest.resources.resource) : [];
    for (const r of resources) {
      if (!isRecord(r)) continue;
      const type = str(r['@_type']);
      if (!type.startsWith('imsqti_item_')) continue;
      items.push({ path: str(r['@_href']), meta: readMeta(r) });
    }
    if (items.length === 0) {
      issues.error(0, 'imsmanifest.xml', 'QTI_NO_ITEMS', 'Gói QTI không có câu hỏi (resource loại imsqti_item_…) nào');
    }
  } else {
    files.set('item.xml', new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    items.push({ path: 'item.xml' });
  }

  const refs = new RefMaker('QTI');
  const usedIds = new Set<string>();
  items.forEach((item, index) => {
    const row = index + 1;
    const where = `câu số ${row} (${item.path})`;
    const bytes = files.get(item.path);
    if (!bytes) {
      issues.error(row, item.path, 'QTI_FILE_MISSING', `Không có tệp ${item.path} trong gói (${where})`);
      return;
    }
    const text = strFromU8(bytes);
    const err = xmlSyntaxError(text);
    if (err) {
      issues.error(row, item.path, 'XML_SYNTAX', `Tệp ${item.path} không hợp lệ ở dòng ${err.line}: ${err.message}`);
      return;
    }
    const tree = ordered.parse(text) as unknown;
    const roots = Array.isArray(tree) ? tree.filter(isRecord) : [];
    const root = roots.find((n) => norm(tagOf(n)) === 'assessmentItem');
    if (!root) {
      issues.error(row, item.path, 'QTI_NOT_ITEM', `${where}: không phải câu hỏi QTI (assessmentItem)`);
      return;
    }
    const body = find(kids(root), 'itemBody');
    const interactions = findAll(body ? kids(body) : [], (n) => n.endsWith('Interaction'));
    const title = attr(root, 'title').trim();
    if (interactions.length !== 1 || norm(tagOf(interactions[0] ?? {})) !== 'choiceInteraction') {
      const names = interactions.map((n) => norm(tagOf(n)));
      issues.skipped(
        row,
        item.path,
        'QTI_UNSUPPORTED_INTERACTION',
        `${where}${title ? ` "${title}"` : ''}: ${names.length ? `dạng ${[...new Set(names)].join(', ')}` : 'không có tương tác'} không được hỗ trợ (chỉ nhập câu có một choiceInteraction), đã bỏ qua`,
      );
      return;
    }
    const interaction = interactions[0] ?? {};
    const meta = item.meta;
    const topic = meta?.topic ?? opts.defaultTopic;
    const difficulty = meta?.difficulty ?? opts.defaultDifficulty;
    if (!topic) {
      issues.error(row, 'topic', 'TOPIC_REQUIRED', `${where}: gói QTI không ghi chuyên đề; hãy chọn chuyên đề mặc định khi nhập`);
      return;
    }
    if (!difficulty) {
      issues.error(
        row,
        'difficulty',
        'DIFFICULTY_REQUIRED',
        `${where}: gói QTI không ghi mức độ; hãy chọn mức độ mặc định khi nhập`,
      );
      return;
    }
    const warn = (m: string) =>
      issues.list.push({ row, column: item.path, code: 'QTI_IMAGE_MISSING', message: `${where}: ${m}`, severity: 'warning' });
    const respId = attr(interaction, 'responseIdentifier');
    const decl = findAll(kids(root), (n) => n === 'responseDeclaration').find((d) => attr(d, 'identifier') === respId);
    const correct = new Set(
      decl ? findAll(kids(find(kids(decl), 'correctResponse') ?? {}), (n) => n === 'value').map((v) => html(kids(v))) : [],
    );
    const cardinality = decl ? attr(decl, 'cardinality') : 'single';
    const mapped = !!(decl && find(kids(decl), 'mapping'));
    const rp = find(kids(root), 'responseProcessing');
    const mapTemplate = rp ? /map_response/.test(attr(rp, 'template')) : false;

    // the stem: the body without the interaction, with the prompt where the interaction was
    const prompt = find(kids(interaction), 'prompt');
    const promptHtml = prompt ? html(toHtmlNodes(kids(prompt), item.path, files, warn)) : '';
    const bodyNodes = (body ? kids(body) : []).flatMap((n): ONode[] => {
      if (n === interaction) return [];
      const inner = findAll([n], (x) => x === 'choiceInteraction');
      return inner.length ? kids(n).filter((k) => k !== interaction) : [n];
    });
    let stemNodes = bodyNodes;
    const only = bodyNodes.filter((n) => tagOf(n) !== '#text' || str(n['#text']).trim() !== '');
    const first = only[0];
    if (only.length === 1 && first && tagOf(first) === 'div' && attr(first, 'class') === 'vn-stem') stemNodes = kids(first);
    let stem = html(toHtmlNodes(stemNodes, item.path, files, warn));
    if (promptHtml) stem += BLOCK.test(promptHtml) ? promptHtml : `<p>${promptHtml}</p>`;

    const choices = findAll(kids(interaction), (n) => n === 'simpleChoice');
    const options: BankOption[] = choices.map((c) => {
      const o: BankOption = {
        text: html(toHtmlNodes(kids(c), item.path, files, warn)),
        correct: correct.has(attr(c, 'identifier')),
      };
      if (attr(c, 'fixed') === 'true') o.pinned = true;
      return o;
    });
    let q: BankQuestion;
    if (meta?.type === 'true_false' && isTrueFalseText(options.map((o) => o.text))) {
      q = { ref: '', type: 'true_false', topic, difficulty, stem, options: trueFalseOptions(options[0]?.correct ?? true) };
    } else {
      const multiple = cardinality === 'multiple';
      q = { ref: '', type: multiple ? 'multiple' : 'single', topic, difficulty, stem, options };
      if (multiple && (meta ? meta.partialCredit : mapped && mapTemplate)) q.partialCredit = true;
    }
    let id = meta?.ref ?? attr(root, 'identifier');
    if (id && usedIds.has(id) && !meta) {
      // two items of a foreign package with one identifier are two questions: the second gets a suffix
      let k = 2;
      while (usedIds.has(`${id}-${k}`)) k++;
      issues.list.push({
        row,
        column: item.path,
        code: 'QTI_ID_REPEATED',
        message: `${where}: mã "${id}" đã dùng cho câu khác trong gói; câu này nhận mã "${id}-${k}"`,
        severity: 'warning',
      });
      id = `${id}-${k}`;
    }
    if (id) usedIds.add(id);
    q.ref = refs.make(q, id);
    if (title && title !== q.ref) q.title = title.slice(0, 255);
    if (meta?.explanation) q.explanation = meta.explanation;
    if (meta?.legalBasis) q.legalBasis = meta.legalBasis;
    if (meta?.tags.length) q.tags = meta.tags;
    if (meta?.status) q.status = meta.status;
    questions.push(withSourceRow(q, row));
  });
  return { topics, questions, issues: issues.list };
}

// ---------------------------------------------------------------- export

/** Sanitized HTML as the XHTML QTI accepts: <u>/<s> as QTI 3's shared classes, XML entities, img with alt. */
export function toQtiXhtml(s: string): string {
  return s
    .replace(/<u>/g, '<span class="qti-underline">')
    .replace(/<\/u>/g, '</span>')
    .replace(/<s>/g, '<span class="qti-line-through">')
    .replace(/<\/s>/g, '</span>')
    .replace(/&nbsp;/g, '&#160;')
    .replace(/<(br|hr)\s*>/g, '<$1/>')
    .replace(
      /<img((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/g,
      (_m, attrs: string) => `<img${/\salt="/.test(attrs) ? attrs : `${attrs} alt=""`}/>`,
    );
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function itemXml(q: BankQuestion, id: string, v: QtiVersion): string {
  const three = v === '3.0';
  const el = (n2: string, n3: string) => (three ? n3 : n2);
  const at = (n2: string, n3: string) => (three ? n3 : n2);
  const multiple = q.type === 'multiple';
  const ids = q.options.map((_o, i) => optionIdAt(i));
  const right = q.options.flatMap((o, i) => (o.correct ? [ids[i]] : []));
  const k = Math.max(1, right.length);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    three
      ? `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqtiasi_v3p0 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd" identifier="${id}" title="${xmlEscape(q.title || q.ref)}" adaptive="false" time-dependent="false" xml:lang="vi">`
      : `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" identifier="${id}" title="${xmlEscape(q.title || q.ref)}" adaptive="false" timeDependent="false" xml:lang="vi">`,
  );
  lines.push(
    `  <${el('responseDeclaration', 'qti-response-declaration')} identifier="RESPONSE" cardinality="${multiple ? 'multiple' : 'single'}" ${at('baseType', 'base-type')}="identifier">`,
  );
  lines.push(`    <${el('correctResponse', 'qti-correct-response')}>`);
  for (const r of right) lines.push(`      <${el('value', 'qti-value')}>${r}</${el('value', 'qti-value')}>`);
  lines.push(`    </${el('correctResponse', 'qti-correct-response')}>`);
  if (multiple && q.partialCredit) {
    lines.push(
      `    <${el('mapping', 'qti-mapping')} ${at('lowerBound', 'lower-bound')}="0" ${at('upperBound', 'upper-bound')}="1" ${at('defaultValue', 'default-value')}="0">`,
    );
    q.options.forEach((o, i) => {
      const value = Number(((o.correct ? 1 : -1) / k).toFixed(5));
      lines.push(
        `      <${el('mapEntry', 'qti-map-entry')} ${at('mapKey', 'map-key')}="${ids[i]}" ${at('mappedValue', 'mapped-value')}="${value}"/>`,
      );
    });
    lines.push(`    </${el('mapping', 'qti-mapping')}>`);
  }
  lines.push(`  </${el('responseDeclaration', 'qti-response-declaration')}>`);
  lines.push(
    `  <${el('outcomeDeclaration', 'qti-outcome-declaration')} identifier="SCORE" cardinality="single" ${at('baseType', 'base-type')}="float"><${el('defaultValue', 'qti-default-value')}><${el('value', 'qti-value')}>0</${el('value', 'qti-value')}></${el('defaultValue', 'qti-default-value')}></${el('outcomeDeclaration', 'qti-outcome-declaration')}>`,
  );
  lines.push(`  <${el('itemBody', 'qti-item-body')}>`);
  lines.push(`    <div class="vn-stem">${toQtiXhtml(q.stem)}</div>`);
  lines.push(
    `    <${el('choiceInteraction', 'qti-choice-interaction')} ${at('responseIdentifier', 'response-identifier')}="RESPONSE" shuffle="true" ${at('maxChoices', 'max-choices')}="${multiple ? 0 : 1}">`,
  );
  q.options.forEach((o, i) => {
    lines.push(
      `      <${el('simpleChoice', 'qti-simple-choice')} identifier="${ids[i]}"${o.pinned ? ' fixed="true"' : ''}>${toQtiXhtml(o.text)}</${el('simpleChoice', 'qti-simple-choice')}>`,
    );
  });
  lines.push(`    </${el('choiceInteraction', 'qti-choice-interaction')}>`);
  lines.push(`  </${el('itemBody', 'qti-item-body')}>`);
  const template = multiple && q.partialCredit ? 'map_response' : 'match_correct';
  lines.push(
    three
      ? `  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/${template}.xml"/>`
      : `  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/${template}"/>`,
  );
  lines.push(three ? '</qti-assessment-item>' : '</assessmentItem>');
  return `${lines.join('\n')}\n`;
}

function metaXml(q: BankQuestion): string {
  const attrs = [
    `ref="${xmlEscape(q.ref)}"`,
    `type="${q.type}"`,
    `topic="${xmlEscape(q.topic)}"`,
    `difficulty="${q.difficulty}"`,
    ...(q.status ? [`status="${q.status}"`] : []),
    ...(q.partialCredit ? ['partialCredit="true"'] : []),
  ];
  const inner = [
    ...(q.legalBasis ? [`<vn:legalBasis>${xmlEscape(q.legalBasis)}</vn:legalBasis>`] : []),
    ...(q.explanation ? [`<vn:explanation>${xmlEscape(q.explanation)}</vn:explanation>`] : []),
    ...(q.tags ?? []).map((t) => `<vn:tag>${xmlEscape(t)}</vn:tag>`),
  ];
  return `<metadata><vn:question ${attrs.join(' ')}>${inner.join('')}</vn:question></metadata>`;
}

export function exportQti(bank: BankFile, version: QtiVersion = '2.1', images?: ExportImages): Buffer {
  const three = version === '3.0';
  const zip: Record<string, Uint8Array> = {};
  const resources: string[] = [];
  const usedIds = new Set<string>();
  bank.questions.forEach((q, i) => {
    let id = NCNAME.test(q.ref) && q.ref.length <= 64 ? q.ref : `Q${i + 1}`;
    if (usedIds.has(id)) id = `Q${i + 1}-${id}`.slice(0, 64);
    usedIds.add(id);
    const href = `items/${String(i + 1).padStart(5, '0')}.xml`;
    // images as files of the package beside the items (items/images/<sha256>.png), each listed in the item's resource
    const files = new Map<string, Uint8Array>();
    const relink = (h: string) => {
      const r = relinkImages(h, images, (img) => `images/${imageFileName(img.id, img.mime)}`);
      for (const img of r.used) files.set(`items/images/${imageFileName(img.id, img.mime)}`, img.bytes);
      return r.html;
    };
    const shown: BankQuestion = { ...q, stem: relink(q.stem), options: q.options.map((o) => ({ ...o, text: relink(o.text) })) };
    zip[href] = strToU8(itemXml(shown, id, version));
    for (const [path, bytes] of files) zip[path] = bytes;
    const fileList = [href, ...files.keys()].map((f) => `<file href="${xmlEscape(f)}"/>`).join('');
    // the explanation travels in our own metadata, which QTI players do not show: its images as data: URIs
    const explanation = q.explanation
      ? relinkImages(q.explanation, images, (img) => `data:${img.mime};base64,${asBuffer(img.bytes).toString('base64')}`).html
      : undefined;
    resources.push(
      `    <resource identifier="ITEM-${i + 1}" type="${three ? 'imsqti_item_xmlv3p0' : 'imsqti_item_xmlv2p1'}" href="${href}">${metaXml({ ...q, explanation })}${fileList}</resource>`,
    );
  });
  const topics = bank.topics
    .map(
      (t) =>
        `<vn:topic code="${xmlEscape(t.code)}" name="${xmlEscape(t.name)}"${t.parent ? ` parent="${xmlEscape(t.parent)}"` : ''}/>`,
    )
    .join('');
  const manifestId = `MANIFEST-${bank.subject.code.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const manifest = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    three
      ? `<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vn="${VN_NS}" identifier="${manifestId}" xsi:schemaLocation="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1 https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd">`
      : `<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vn="${VN_NS}" identifier="${manifestId}" xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 http://www.imsglobal.org/xsd/imscp_v1p1.xsd">`,
    `  <metadata><schema>${three ? 'QTI Package' : 'QTIv2.1 Package'}</schema><schemaversion>${three ? '3.0.0' : '1.0.0'}</schemaversion><vn:bank subject="${xmlEscape(bank.subject.code)}" name="${xmlEscape(bank.subject.name)}">${topics}</vn:bank></metadata>`,
    '  <organizations/>',
    '  <resources>',
    ...resources,
    '  </resources>',
    '</manifest>',
  ].join('\n');
  zip['imsmanifest.xml'] = strToU8(`${manifest}\n`);
  try {
    return Buffer.from(zipSync(zip, { level: 6 }));
  } catch (e) {
    throw new AppError(500, 'EXPORT_FAILED', 'Không tạo được gói QTI', e instanceof Error ? e.message : String(e));
  }
}
