/**
 * Equivalent grades (ngạch tương đương), issue 13. NĐ 138/2020 counts time "in the grade of chuyên
 * viên or equivalent" [S13][S60], but no list of equivalences was found in the reference
 * (vn-exam-rules.md). So the equivalences are a table the board keeps per exam, each entry with the
 * legal source the board relies on (for example the salary table that classes both grades alike);
 * none is built in. The five administrative grades are themselves (TT 02/2021/TT-BNV).
 */
import { CIVIL_SERVICE_GRADES, type GradeCode, isGradeCode } from './types.js';

export interface GradeEquivalence {
  /** the grade code as written on the candidate's records, e.g. "06.031" */
  code: string;
  name: string;
  /** the administrative grade it counts as */
  equivalentTo: GradeCode;
  /** the document that says so */
  source: string;
}

/** A grade code's shape: two digits, a dot, three digits ("06.031"). */
export const GRADE_CODE_PATTERN = /^\d{2}\.\d{3}[a-z]?$/;

export interface ResolvedGrade {
  code: string;
  name: string;
  /** the administrative grade used for the rules */
  grade: GradeCode;
  /** the equivalence used, when the code is not an administrative grade */
  via: GradeEquivalence | null;
}

/** The administrative grade a written code counts as, through the exam's table; null when unknown. */
export function resolveGrade(code: string, table: readonly GradeEquivalence[]): ResolvedGrade | null {
  const c = code.trim();
  if (isGradeCode(c)) return { code: c, name: CIVIL_SERVICE_GRADES[c].name.vi, grade: c, via: null };
  const e = table.find((x) => x.code === c);
  return e ? { code: c, name: e.name, grade: e.equivalentTo, via: e } : null;
}
