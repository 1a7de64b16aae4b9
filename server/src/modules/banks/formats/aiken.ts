/**
 * Aiken (Moodle's plain-text single-choice format):
 *
 *   Cơ quan nào là cơ quan đại biểu cao nhất của Nhân dân?
 *   A. Chính phủ
 *   B) Quốc hội
 *   ANSWER: B
 *
 * Import: the question text is every line before "A."/"A)" (joined with "\n"); options must run
 * A, B, C…; "ANSWER: X" ends the question. Exactly two options "Đúng", "Sai" make a true_false
 * question, anything else is single choice. Aiken carries no id, topic or difficulty: the ref is
 * derived from the content (AIKEN-<hash>), topic/difficulty come from ParseOptions (error on the
 * question's line when absent). Issues use row = 1-based line number.
 *
 * Export: only single and true_false questions (true_false as "A. Đúng / B. Sai"); multiple-answer
 * questions cannot be written in Aiken and are left out. Text is written as plain text (HTML
 * removed, one line per stem/option); ref, topic, difficulty, pinned, explanation, legal basis,
 * tags and status are not part of the format.
 */
import { type BankFile, type BankOption, type BankQuestion, type ParsedImport, plainText } from '@exam/shared';
import {
  contentRef,
  decodeUtf8,
  Issues,
  isTrueFalseText,
  type ParsedQuestion,
  type ParseOptions,
  trueFalseOptions,
  withSourceRow,
} from './common.js';

const OPTION_LINE = /^([A-Z])\s?[.)](?:\s+(.*))?$/;
const ANSWER_LINE = /^ANSWER\s*:\s*(.*)$/i;

interface Block {
  line: number;
  stem: string[];
  options: string[];
}

export function parseAiken(data: Buffer, opts: ParseOptions = {}): ParsedImport {
  const decoded = decodeUtf8(data);
  if ('issue' in decoded) return { topics: [], questions: [], issues: [decoded.issue] };
  const lines = decoded.text.split(/\r\n|\r|\n/);
  const issues = new Issues();
  const questions: ParsedQuestion[] = [];
  // the question being read; `skipping` = after an error, ignore lines until the block ends
  const st: { block: Block | undefined; skipping: boolean } = { block: undefined, skipping: false };

  const fail = (line: number, code: string, message: string) => {
    issues.error(line, undefined, code, message);
    st.block = undefined;
    st.skipping = true;
  };

  const finish = (b: Block, answerLine: number, answer: string) => {
    const letter = answer.trim().toUpperCase().replace(/[.)]$/, '');
    const idx = letter.length === 1 ? letter.charCodeAt(0) - 65 : -1;
    if (idx < 0 || idx >= b.options.length) {
      fail(
        answerLine,
        'AIKEN_ANSWER_INVALID',
        `Đáp án "${answer.trim()}" không phải chữ cái của một phương án (A–${String.fromCharCode(64 + b.options.length)})`,
      );
      return;
    }
    st.block = undefined;
    let bad = false;
    if (!opts.defaultTopic) {
      issues.error(b.line, 'topic', 'TOPIC_REQUIRED', `Tệp Aiken không ghi chuyên đề; hãy chọn chuyên đề mặc định khi nhập`);
      bad = true;
    }
    if (!opts.defaultDifficulty) {
      issues.error(b.line, 'difficulty', 'DIFFICULTY_REQUIRED', `Tệp Aiken không ghi mức độ; hãy chọn mức độ mặc định khi nhập`);
      bad = true;
    }
    if (bad || !opts.defaultTopic || !opts.defaultDifficulty) return;
    const trueFalse = isTrueFalseText(b.options);
    const options: BankOption[] = trueFalse
      ? trueFalseOptions(idx === 0)
      : b.options.map((text, i) => ({ text, correct: i === idx }));
    const stem = b.stem.join('\n');
    const q: BankQuestion = {
      ref: contentRef('AIKEN', { stem, options }),
      type: trueFalse ? 'true_false' : 'single',
      topic: opts.defaultTopic,
      difficulty: opts.defaultDifficulty,
      stem,
      options,
    };
    questions.push(withSourceRow(q, b.line));
  };

  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const block = st.block;
    const line = raw.trim();
    if (line === '') {
      if (block) {
        if (block.options.length === 0) fail(block.line, 'AIKEN_NO_OPTIONS', `Câu hỏi không có phương án (A., B., …)`);
        else fail(block.line, 'AIKEN_ANSWER_MISSING', `Câu hỏi thiếu dòng "ANSWER: <chữ cái>"`);
      }
      st.skipping = false;
      continue;
    }
    const answer = ANSWER_LINE.exec(line);
    if (st.skipping) {
      if (answer) st.skipping = false;
      continue;
    }
    if (!block) {
      if (answer) {
        fail(lineNo, 'AIKEN_NO_QUESTION', `Dòng "ANSWER" không thuộc câu hỏi nào`);
        st.skipping = false;
        continue;
      }
      st.block = { line: lineNo, stem: [line], options: [] };
      continue;
    }
    if (answer) {
      if (block.options.length === 0) {
        fail(lineNo, 'AIKEN_NO_OPTIONS', `Câu hỏi không có phương án (A., B., …)`);
        st.skipping = false;
        continue;
      }
      finish(block, lineNo, answer[1] ?? '');
      st.skipping = false;
      continue;
    }
    const opt = OPTION_LINE.exec(line);
    const expected = String.fromCharCode(65 + block.options.length);
    if (opt && opt[1] === expected) {
      block.options.push((opt[2] ?? '').trim());
      continue;
    }
    if (block.options.length === 0 && !opt) {
      block.stem.push(line);
      continue;
    }
    if (opt) {
      fail(lineNo, 'AIKEN_OPTION_ORDER', `Phương án "${opt[1] ?? ''}" không đúng thứ tự; cần phương án "${expected}"`);
      continue;
    }
    fail(lineNo, 'AIKEN_UNEXPECTED_LINE', `Sau các phương án chỉ được có dòng "ANSWER: <chữ cái>"`);
  }
  if (st.block) {
    const b = st.block;
    if (b.options.length === 0) fail(b.line, 'AIKEN_NO_OPTIONS', `Câu hỏi không có phương án (A., B., …)`);
    else fail(b.line, 'AIKEN_ANSWER_MISSING', `Câu hỏi thiếu dòng "ANSWER: <chữ cái>"`);
  }
  return { topics: [], questions, issues: issues.list };
}

function oneLine(html: string): string {
  return plainText(html).replace(/\s*\n\s*/g, ' ');
}

export function exportAiken(bank: BankFile): Buffer {
  const parts: string[] = [];
  for (const q of bank.questions) {
    if (q.type !== 'single' && q.type !== 'true_false') continue;
    const lines = [oneLine(q.stem)];
    q.options.forEach((o, i) => {
      lines.push(`${String.fromCharCode(65 + i)}. ${oneLine(o.text)}`);
    });
    const right = q.options.findIndex((o) => o.correct);
    lines.push(`ANSWER: ${String.fromCharCode(65 + Math.max(0, right))}`);
    parts.push(lines.join('\n'));
  }
  return Buffer.from(parts.length ? `${parts.join('\n\n')}\n` : '', 'utf8');
}
