/**
 * Helpers shared by every import/export format: the canonical shape of a question/topic (key
 * order as in question-banks/FORMAT.md, optional fields omitted when empty/false), issue
 * builders, value lookups that ignore case and Vietnamese diacritics, and generated refs.
 */
import { createHash } from 'node:crypto';
import type { BankOption, BankQuestion, BankTopic, Difficulty, ImportIssue, ParsedImport } from '@exam/shared';
import { BANK_IMPORT_MAX_ROWS, tooManyRows } from '../../imports/limits.js';

export interface ParseOptions {
  /** Topic code for questions whose format carries none (Aiken, GIFT without $CATEGORY, blank cells). */
  defaultTopic?: string;
  /** Difficulty for questions whose format carries none (Aiken, GIFT, blank cells). */
  defaultDifficulty?: Difficulty;
  /** Most questions (data rows) a file may hold; more is refused as IMPORT_TOO_MANY_ROWS (default BANK_IMPORT_MAX_ROWS). */
  maxRows?: number;
  /** The subject's topics: category paths (GIFT $CATEGORY, Moodle categories) reuse a topic of the same name. */
  existingTopics?: readonly BankTopic[];
}

/** Refuses a file with more than `opts.maxRows` questions or data rows (a 413 with a stable code). */
export function assertRowCount(rows: number, opts: ParseOptions): void {
  const max = opts.maxRows ?? BANK_IMPORT_MAX_ROWS;
  if (rows > max) throw tooManyRows(rows, max);
}

/**
 * Rows a spreadsheet reader should read at most: the limit, the header and room for blank rows;
 * a sheet longer than that is refused without reading the rest.
 */
export function sheetRowsToRead(opts: ParseOptions): number {
  return (opts.maxRows ?? BANK_IMPORT_MAX_ROWS) + 1 + BLANK_ROW_SLACK;
}
export const BLANK_ROW_SLACK = 1000;

export type ParsedQuestion = ParsedImport['questions'][number];

export const TRUE_TEXT = 'Đúng';
export const FALSE_TEXT = 'Sai';
export const REF_MAX = 64;
export const TOPIC_CODE_MAX = 64;

/** Lower-case, drop Vietnamese diacritics and collapse spaces: "Vận  dụng CAO" → "van dung cao". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Values by label or id, ignoring case and diacritics: `lookup.get("vận dụng CAO")`. Results are
 * memoized per raw string (spreadsheet columns repeat a handful of values thousands of times).
 */
export class LabelLookup<T extends string> {
  private readonly byFolded = new Map<string, T>();
  private readonly memo = new Map<string, T | undefined>();
  constructor(entries: Record<T, readonly string[]>) {
    for (const [value, labels] of Object.entries(entries) as [T, readonly string[]][]) {
      this.byFolded.set(fold(value), value);
      for (const l of labels) this.byFolded.set(fold(l), value);
    }
  }
  get(raw: string): T | undefined {
    if (this.memo.has(raw)) return this.memo.get(raw);
    const v = this.byFolded.get(fold(raw));
    if (this.memo.size < 1000) this.memo.set(raw, v);
    return v;
  }
}

export function isTrueFalseText(options: readonly string[]): boolean {
  return options.length === 2 && isTrueText(options[0] ?? '') && isFalseText(options[1] ?? '');
}
export function isTrueText(s: string): boolean {
  const f = fold(s);
  return f === 'dung' || f === 'true';
}
export function isFalseText(s: string): boolean {
  const f = fold(s);
  return f === 'sai' || f === 'false';
}

export function trueFalseOptions(trueIsCorrect: boolean): BankOption[] {
  return [
    { text: TRUE_TEXT, correct: trueIsCorrect },
    { text: FALSE_TEXT, correct: !trueIsCorrect },
  ];
}

/** The question in FORMAT.md key order with empty/false optional fields left out. */
export function canonicalQuestion(q: BankQuestion): BankQuestion {
  const out: BankQuestion = {
    ref: q.ref,
    ...(q.title ? { title: q.title } : {}),
    type: q.type,
    topic: q.topic,
    difficulty: q.difficulty,
    stem: q.stem,
    options: q.options.map((o) =>
      o.pinned ? { text: o.text, correct: o.correct, pinned: true } : { text: o.text, correct: o.correct },
    ),
  };
  if (q.partialCredit) out.partialCredit = true;
  if (q.explanation) out.explanation = q.explanation;
  if (q.legalBasis) out.legalBasis = q.legalBasis;
  if (q.tags && q.tags.length > 0) out.tags = [...q.tags];
  if (q.status) out.status = q.status;
  return out;
}

export function canonicalTopic(t: BankTopic): BankTopic {
  return t.parent ? { code: t.code, name: t.name, parent: t.parent } : { code: t.code, name: t.name };
}

export function withSourceRow(q: BankQuestion, sourceRow: number): ParsedQuestion {
  return { ...canonicalQuestion(q), sourceRow };
}

/** Collects issues; every reader reports through one of these. */
export class Issues {
  readonly list: ImportIssue[] = [];
  error(row: number, column: string | undefined, code: string, message: string): void {
    this.list.push(
      column === undefined ? { row, code, message, severity: 'error' } : { row, column, code, message, severity: 'error' },
    );
  }
  skipped(row: number, column: string | undefined, code: string, message: string): void {
    this.list.push(
      column === undefined ? { row, code, message, severity: 'skipped' } : { row, column, code, message, severity: 'skipped' },
    );
  }
}

/**
 * A ref for formats that carry no id (Aiken, GIFT without a title): derived from the content so
 * that it is stable across imports of the same file (re-importing reports REF_EXISTS instead of
 * creating duplicates) and unlikely to collide between different files.
 */
export function contentRef(prefix: string, q: Pick<BankQuestion, 'stem' | 'options'>): string {
  const h = createHash('sha1');
  h.update(q.stem);
  for (const o of q.options) h.update(`\u0000${o.correct ? '1' : '0'}${o.text}`);
  return `${prefix}-${h.digest('hex').slice(0, 10).toUpperCase()}`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The file as UTF-8 text without its byte order mark, or an ENCODING_INVALID issue when the bytes
 * are not UTF-8 (e.g. a CSV saved by Excel as "CSV (Comma delimited)" in a legacy code page):
 * reading on would silently garble every Vietnamese letter.
 */
export function decodeUtf8(data: Buffer): { text: string } | { issue: ImportIssue } {
  const nul = data.indexOf(0);
  if (nul >= 0) {
    // a NUL is never part of a question; stored, it would cut the text short in other programs
    let line = 1;
    for (let i = data.indexOf(10); i >= 0 && i < nul; i = data.indexOf(10, i + 1)) line++;
    return {
      issue: {
        row: line,
        code: 'NUL_CHAR',
        message: `Tệp chứa ký tự NUL (mã 0) ở dòng ${line}; đây không phải tệp văn bản hợp lệ (có thể là UTF-16 hoặc tệp bị hỏng). Hãy lưu lại tệp dạng văn bản UTF-8.`,
        severity: 'error',
      },
    };
  }
  try {
    return { text: UTF8.decode(data) };
  } catch {
    return {
      issue: {
        row: 0,
        code: 'ENCODING_INVALID',
        message: 'Tệp không được mã hóa UTF-8; hãy lưu lại tệp với mã hóa UTF-8 (trong Excel: "CSV UTF-8 (Comma delimited)")',
        severity: 'error',
      },
    };
  }
}

/** Topics ordered so that a topic's parent chain can be written as a path: "A/B/C" for C. */
export function topicPath(code: string, topics: ReadonlyMap<string, BankTopic>): string[] {
  const path = [code];
  const seen = new Set(path);
  let cur = topics.get(code)?.parent;
  while (cur && !seen.has(cur)) {
    path.unshift(cur);
    seen.add(cur);
    cur = topics.get(cur)?.parent;
  }
  return path;
}

/** "$course$/top/Hiến pháp/Quốc hội" → ["Hiến pháp", "Quốc hội"]; "//" is a literal "/" (Moodle's escape). */
export function categorySegments(path: string): string[] {
  const segments: string[] = [];
  path.split('//').forEach((group, k) => {
    const parts = group.split('/');
    if (k > 0 && segments.length > 0) segments[segments.length - 1] += `/${parts.shift() ?? ''}`;
    segments.push(...parts);
  });
  const named = segments.map((p) => p.trim()).filter((p) => p !== '');
  // Moodle's context prefix ($course$, $system$, $module$, $cat$) and its "top" category
  if (named[0] && /^\$[a-z]+\$$/.test(named[0])) {
    named.shift();
    if (named[0] === 'top') named.shift();
  }
  return named;
}

const CLEAN_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const SLUG_MAX = 16;

/** "Bộ máy nhà nước, Hiến pháp" → "BO-MAY-NHA-NUOC" (ASCII, upper case, at most 16 characters, cut at a word). */
export function topicSlug(name: string): string {
  const words = fold(name)
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > SLUG_MAX) {
      if (!slug) slug = w.slice(0, SLUG_MAX);
      break;
    }
    slug = next;
  }
  return slug || 'CD';
}

/**
 * Topics for category paths: each level is matched by name (ignoring case and diacritics) under
 * the same parent, first among the subject's topics, then among those created for this file;
 * a new topic gets a short clean generated code (or the category's own id when it is clean and
 * free). The topics created are exactly what the import will create, so the dry run counts them.
 */
export class CategoryTopics {
  private readonly all: BankTopic[];
  private readonly codes = new Set<string>();
  readonly created: BankTopic[] = [];
  constructor(existing: readonly BankTopic[] = []) {
    this.all = [...existing];
    for (const t of existing) this.codes.add(t.code.toUpperCase());
  }

  /** The topic code for a path of names (outermost first); `ids` are optional codes per level. */
  codeFor(path: readonly string[], ids: readonly (string | undefined)[] = []): string | undefined {
    let parent: string | undefined;
    path.forEach((raw, level) => {
      const name = raw.normalize('NFC').trim();
      const key = fold(name);
      const found = this.all.find((t) => (t.parent ?? undefined) === parent && fold(t.name) === key);
      if (found) {
        parent = found.code;
        return;
      }
      const id = ids[level]?.trim();
      let code = id && CLEAN_CODE.test(id) && !this.codes.has(id.toUpperCase()) ? id : topicSlug(name);
      if (this.codes.has(code.toUpperCase())) {
        const base = code.slice(0, SLUG_MAX - 3);
        let n = 2;
        while (this.codes.has(`${base}-${n}`.toUpperCase())) n++;
        code = `${base}-${n}`;
      }
      const t: BankTopic = parent
        ? { code, name: name.slice(0, 200) || code, parent }
        : { code, name: name.slice(0, 200) || code };
      this.all.push(t);
      this.created.push(t);
      this.codes.add(code.toUpperCase());
      parent = code;
    });
    return parent;
  }
}

/** Refs derived from content, made unique within one file ("GIFT-AB12…", then "GIFT-AB12…-2"). */
export class RefMaker {
  private readonly used = new Set<string>();
  constructor(private readonly prefix: string) {}
  /** An explicit id when given and free, else a content ref, with a suffix when already used in this file. */
  make(q: Pick<BankQuestion, 'stem' | 'options'>, explicit?: string): string {
    const id = explicit?.trim();
    if (id && id.length <= REF_MAX) {
      // a repeated explicit id stays as given: the import reports it as REF_DUPLICATE
      this.used.add(id);
      return id;
    }
    const base = contentRef(this.prefix, q);
    let ref = base;
    for (let n = 2; this.used.has(ref); n++) ref = `${base}-${n}`;
    this.used.add(ref);
    return ref;
  }
}
