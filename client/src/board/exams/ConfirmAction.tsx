import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmActionProps {
  /** Text of the button that opens the confirmation. */
  label: ReactNode;
  /** What will happen, shown before the user confirms. */
  message: ReactNode;
  onConfirm: () => void | Promise<void>;
  busy?: boolean;
  disabled?: boolean;
  className?: string;
  testId: string;
}

/** A button that asks first, in the page (no browser dialog): "<testId>" opens, "<testId>-confirm" runs. */
export function ConfirmAction({
  label,
  message,
  onConfirm,
  busy,
  disabled,
  className = 'btn btn-primary',
  testId,
}: ConfirmActionProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div className="confirm-action">
      <button
        type="button"
        className={className}
        disabled={busy || disabled}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid={testId}
      >
        {label}
      </button>
      {open ? (
        <div className="inline-form" data-testid={`${testId}-box`}>
          <p>{message}</p>
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              // biome-ignore lint/a11y/noAutofocus: the confirmation was just asked for; focus moves to it
              autoFocus
              onClick={() => {
                setOpen(false);
                void onConfirm();
              }}
              data-testid={`${testId}-confirm`}
            >
              {t('common.confirm')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} data-testid={`${testId}-cancel`}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
