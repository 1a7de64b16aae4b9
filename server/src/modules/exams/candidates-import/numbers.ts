/**
 * Số báo danh (candidate numbers).
 *
 * Rule: the number is the exam code followed by a sequence number, zero-padded to 4 digits (more
 * when the exam has 10,000 candidates or more): `${examCode}${NNNN}`, from 0001. Candidates are
 * numbered in this order:
 *   1. position code (mã vị trí / mã ngạch dự thi), in natural order (VT2 before VT10);
 *   2. given name (tên): the last word of the full name, in Vietnamese alphabetical order
 *      (a ă â b c d đ e ê …; Intl.Collator('vi'));
 *   3. the full name, in the same order (so "Nguyễn Văn An" before "Trần An");
 *   4. date of birth, older first;
 *   5. ID number (CCCD/CMND), so that the order is total and never depends on input order.
 * The function is pure and deterministic: the same candidates give the same numbers whatever their
 * order in the input.
 */

export interface NumberingCandidate {
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  idNumber: string;
  positionCode: string;
}

export interface NumberingOptions {
  /** Minimum digits of the sequence number (default 4). */
  digits?: number;
}

const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });

function key(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function givenName(fullName: string): string {
  const words = key(fullName).split(' ');
  return words[words.length - 1] ?? '';
}

/** Binary comparison as the last resort, so that strings the collator deems equal still order. */
function cmpStrict(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Compare two candidates by the numbering order above. */
export function compareForNumbering(a: NumberingCandidate, b: NumberingCandidate): number {
  return (
    cmpStrict(key(a.positionCode), key(b.positionCode)) ||
    cmpStrict(givenName(a.fullName), givenName(b.fullName)) ||
    cmpStrict(key(a.fullName), key(b.fullName)) ||
    cmpStrict(a.dateOfBirth, b.dateOfBirth) ||
    cmpStrict(a.idNumber, b.idNumber)
  );
}

/**
 * The candidate numbers, aligned with the input: `result[i]` is the number of `candidates[i]`.
 * See the rule at the top of this file.
 */
export function assignCandidateNumbers(
  examCode: string,
  candidates: readonly NumberingCandidate[],
  opts: NumberingOptions = {},
): string[] {
  const digits = Math.max(opts.digits ?? 4, String(candidates.length).length);
  const order = candidates.map((_, i) => i);
  order.sort((i, j) => compareForNumbering(candidates[i]!, candidates[j]!) || i - j);
  const numbers = new Array<string>(candidates.length);
  order.forEach((idx, pos) => {
    numbers[idx] = `${examCode}${String(pos + 1).padStart(digits, '0')}`;
  });
  return numbers;
}
