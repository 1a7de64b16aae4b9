/** The longest reason the server accepts for an audited action. */
export const REASON_MAX = 1000;

export type ReasonProblem = { key: 'shared.reasonRequired' } | { key: 'shared.reasonTooLong'; max: number };

/** Why a reason cannot be sent yet (null: it can); the text sent is the trimmed one. */
export function reasonProblem(reason: string, required = true, max = REASON_MAX): ReasonProblem | null {
  const text = reason.trim();
  if (required && text === '') return { key: 'shared.reasonRequired' };
  if (text.length > max) return { key: 'shared.reasonTooLong', max };
  return null;
}
