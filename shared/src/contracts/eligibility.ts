import { type Static, Type } from '@sinclair/typebox';
import { RATINGS } from '../rules/types.js';
import { lit, orNull } from './common.js';

/**
 * A candidate's eligibility record (issue 13): the data, the computed status with its reasons, and
 * the board's override with a reason and a document reference. Times are whole months.
 */
// orNull: one type list, so the validator never turns false or 0 into null
export const EligibilityDataBody = Type.Object({
  currentGrade: orNull('string', { pattern: '^[0-9]{2}\\.[0-9]{3}[a-z]?$' }),
  monthsInGrade: orNull('integer', { minimum: 0, maximum: 720 }),
  monthsInExactGrade: orNull('integer', { minimum: 0, maximum: 720 }),
  ratings: Type.Array(lit(RATINGS), { maxItems: 10 }),
  underDiscipline: orNull('boolean'),
  serviceMonths: orNull('integer', { minimum: 0, maximum: 840 }),
  /** one of the 54 groups (name or id) */
  ethnicity: Type.String({ minLength: 1, maxLength: 60 }),
});
export type EligibilityDataBody = Static<typeof EligibilityDataBody>;

export const EligibilityOverrideBody = Type.Object({
  /** the status the board decides; null removes the override */
  status: Type.Union([Type.Null(), lit(['eligible', 'not_eligible'] as const)]),
  reason: Type.String({ maxLength: 1000 }),
  /** the document the decision rests on (e.g. "Công văn 45/SNV ngày 02/12/2026") */
  documentRef: Type.String({ maxLength: 300 }),
});
export type EligibilityOverrideBody = Static<typeof EligibilityOverrideBody>;

export interface EligibilityDto {
  candidateId: number;
  number: string;
  fullName: string;
  targetGrade: string | null;
  data: EligibilityDataBody;
  computed: { status: 'eligible' | 'not_eligible'; reasons: string[]; notes: string[]; gradeVia: string | null };
  override: { status: 'eligible' | 'not_eligible'; reason: string; documentRef: string; by: string; at: string } | null;
  /** the override when there is one, else the computed status */
  effective: 'eligible' | 'not_eligible';
}

export const GradeEquivalenceBody = Type.Object({
  code: Type.String({ pattern: '^[0-9]{2}\\.[0-9]{3}[a-z]?$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  equivalentTo: lit(['01.001', '01.002', '01.003', '01.004', '01.005'] as const),
  source: Type.String({ minLength: 1, maxLength: 500 }),
});
export type GradeEquivalenceBody = Static<typeof GradeEquivalenceBody>;

/** An eligibility record as the routes answer it (issue 16: a response schema on every route). */
export const EligibilitySchema = Type.Unsafe<EligibilityDto>(
  Type.Object({
    candidateId: Type.Integer(),
    number: Type.String(),
    fullName: Type.String(),
    targetGrade: orNull('string'),
    data: Type.Object({
      currentGrade: orNull('string'),
      monthsInGrade: orNull('number'),
      monthsInExactGrade: orNull('number'),
      ratings: Type.Array(Type.String()),
      underDiscipline: orNull('boolean'),
      serviceMonths: orNull('number'),
      ethnicity: Type.String(),
    }),
    computed: Type.Object({
      status: lit(['eligible', 'not_eligible'] as const),
      reasons: Type.Array(Type.String()),
      notes: Type.Array(Type.String()),
      gradeVia: orNull('string'),
    }),
    override: Type.Union([
      Type.Null(),
      Type.Object({
        status: lit(['eligible', 'not_eligible'] as const),
        reason: Type.String(),
        documentRef: Type.String(),
        by: Type.String(),
        at: Type.String(),
      }),
    ]),
    effective: lit(['eligible', 'not_eligible'] as const),
  }),
);
