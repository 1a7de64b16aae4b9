import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from './ErrorBox';
import { FormField } from './FormField';
import { REASON_MAX, reasonProblem } from './reason';

interface ReasonFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  rows?: number;
  id?: string;
  testId: string;
  errorTestId?: string;
  disabled?: boolean;
  /**
   * false: a required reason is marked `aria-required` and checked by the form's own submit (which
   * says why), not by the browser's built-in check that would stop the submit first
   */
  nativeRequired?: boolean;
}

/** The reason an audited action is recorded with: a labelled textarea that says so when it is left empty. */
export function ReasonField({
  label,
  hint,
  value,
  onChange,
  required = true,
  rows = 2,
  id,
  testId,
  errorTestId,
  disabled,
  nativeRequired = true,
}: ReasonFieldProps) {
  const { t } = useTranslation();
  const [touched, setTouched] = useState(false);
  const problem = reasonProblem(value, required);
  const error =
    !touched || !problem
      ? null
      : problem.key === 'shared.reasonTooLong'
        ? t(problem.key, { max: String(problem.max) })
        : t(problem.key);
  return (
    <FormField label={label} hint={hint} error={error} required={required} id={id} errorTestId={errorTestId ?? `${testId}-error`}>
      {({ required: req, ...c }) => (
        <textarea
          {...c}
          required={nativeRequired ? req : undefined}
          aria-required={!nativeRequired && req ? true : undefined}
          rows={rows}
          maxLength={REASON_MAX}
          value={value}
          disabled={disabled}
          onChange={(e) => {
            onChange(e.target.value);
            if (e.target.value !== '') setTouched(true);
          }}
          onBlur={() => setTouched(true)}
          data-testid={testId}
        />
      )}
    </FormField>
  );
}

interface ReasonDialogProps {
  title: ReactNode;
  testId: string;
  className?: string;
  /** shown above the reason (the target, a warning, other fields) */
  children?: ReactNode;
  /** shown below the reason (e.g. a warning that depends on the other fields) */
  after?: ReactNode;
  reasonLabel: ReactNode;
  reasonHint?: ReactNode;
  reasonTestId: string;
  reasonRows?: number;
  /** false: the reason may be left empty (the action is still logged) */
  reasonRequired?: boolean;
  /** the other fields are complete (the reason is checked here) */
  ready?: boolean;
  submitLabel: ReactNode;
  busyLabel: ReactNode;
  submitTestId: string;
  cancelTestId?: string;
  errorTestId: string;
  danger?: boolean;
  /** sends the action with the trimmed reason; a throw shows the server's refusal and keeps the dialog open */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}

/**
 * One modal dialog for every action that needs a reason. The native modal <dialog> keeps the focus
 * inside (the page behind is inert), Escape closes it unless a request runs, it is labelled by its
 * title, the reason says when it is empty, the confirm button stays disabled until everything is
 * given, and the focus returns to what opened it.
 */
export function ReasonDialog({
  title,
  testId,
  className = 'results-dialog',
  children,
  after,
  reasonLabel,
  reasonHint,
  reasonTestId,
  reasonRows = 2,
  reasonRequired = true,
  ready = true,
  submitLabel,
  busyLabel,
  submitTestId,
  cancelTestId,
  errorTestId,
  danger,
  onSubmit,
  onClose,
}: ReasonDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const canSend = ready && !busy && reasonProblem(reason, reasonRequired) === null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSend) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
      data-testid={testId}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <ReasonField
          label={reasonLabel}
          hint={reasonHint}
          value={reason}
          onChange={setReason}
          required={reasonRequired}
          rows={reasonRows}
          testId={reasonTestId}
          disabled={busy}
        />
        {after}
        <ErrorBox error={error} testId={errorTestId} />
        <div className="button-row">
          <button
            type="submit"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={!canSend}
            data-testid={submitTestId}
          >
            {busy ? busyLabel : submitLabel}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy} data-testid={cancelTestId}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
