/** The ids a form field wires together, so a screen reader reads the label, the hint and the error with the control. */
export interface FieldIds {
  control: string;
  hint: string;
  error: string;
}

export function fieldIds(base: string): FieldIds {
  return { control: `${base}-control`, hint: `${base}-hint`, error: `${base}-error` };
}

/** The control's `aria-describedby`: the hint and the error that are shown, in that order (undefined: none). */
export function describedBy(ids: FieldIds, hasHint: boolean, hasError: boolean, extra?: string): string | undefined {
  const parts = [hasHint ? ids.hint : null, hasError ? ids.error : null, extra ?? null].filter((p): p is string => !!p);
  return parts.length ? parts.join(' ') : undefined;
}
