import './shared.css';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { describedBy, fieldIds } from './fieldIds';

/** What a form field hands its control: the ids and states a screen reader needs. */
export interface ControlProps {
  id: string;
  required?: boolean;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface FormFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  /** shown under the control, announced, and the control marked invalid */
  error?: ReactNode;
  required?: boolean;
  /** the control's id (kept when a screen or a test already names it); a generated one otherwise */
  id?: string;
  className?: string;
  testId?: string;
  hintTestId?: string;
  errorTestId?: string;
  /** another element that describes the control (e.g. a warning) */
  describedById?: string;
  children: (control: ControlProps) => ReactNode;
}

/**
 * One labelled form field: label (with the required marker, hidden from the accessible name since
 * `required` says it), the control, a hint and an error, wired by id.
 */
export function FormField({
  label,
  hint,
  error,
  required,
  id,
  className = 'field',
  testId,
  hintTestId,
  errorTestId,
  describedById,
  children,
}: FormFieldProps) {
  const { t } = useTranslation();
  const generated = useId();
  const ids = fieldIds(id ?? generated);
  const controlId = id ?? ids.control;
  const hasError = error !== undefined && error !== null && error !== false && error !== '';
  const control: ControlProps = { id: controlId };
  if (required) control.required = true;
  if (hasError) control['aria-invalid'] = true;
  const by = describedBy(ids, !!hint, hasError, describedById);
  if (by) control['aria-describedby'] = by;
  return (
    <div className={className} data-testid={testId}>
      <label htmlFor={controlId}>
        {label}
        {required ? (
          <span className="required-mark" aria-hidden="true" title={t('shared.required')}>
            {' *'}
          </span>
        ) : null}
      </label>
      {children(control)}
      {hint ? (
        <small id={ids.hint} className="hint" data-testid={hintTestId}>
          {hint}
        </small>
      ) : null}
      {hasError ? (
        <p id={ids.error} className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
