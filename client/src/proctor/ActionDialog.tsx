import {
  PROCTOR_SANCTIONS,
  type ProctorAction,
  type ProctorActionBody,
  type ProctorActionResult,
  type ProctorSanction,
  type RoomClosingDto,
  type SeatDto,
} from '@exam/shared';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../ui/ErrorBox';
import { FormField } from '../ui/FormField';
import { ReasonDialog } from '../ui/ReasonDialog';
import { proctorApi } from './api';
import { useProctorLabels } from './labels';

/** What an action dialog acts on: one candidate, or the whole room. */
export interface ActionRequest {
  action: ProctorAction;
  /** null: the whole room (open, pause, resume, message) */
  seat: SeatDto | null;
}

interface Props {
  sittingId: number;
  roomId: number;
  roomCode: string;
  request: ActionRequest;
  onClose: () => void;
  onDone: (request: ActionRequest, result: ProctorActionResult) => void;
}

/**
 * One invigilator action in a modal dialog. Every action needs a reason (the confirm button stays
 * disabled while it is blank); extend needs minutes, a sanction its level, a message its text. The
 * server's message is shown when it refuses.
 */
export function ActionDialog({ sittingId, roomId, roomCode, request, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const labels = useProctorLabels();
  const id = useId();
  const { action, seat } = request;
  const [minutes, setMinutes] = useState('5');
  const [level, setLevel] = useState<ProctorSanction>('khien_trach');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  /** close_room: who is still sitting and who will be recorded absent, and the invigilator's confirmation */
  const [closing, setClosing] = useState<RoomClosingDto | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  useEffect(() => {
    if (action !== 'close_room') return;
    let live = true;
    proctorApi.closing(sittingId, roomId).then(
      (c) => {
        if (live) setClosing(c);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [action, sittingId, roomId]);
  const closeOk =
    action !== 'close_room' ||
    (closing !== null && closing.running.length === 0 && (closing.absentees.length === 0 || confirmed));

  const minutesN = Number(minutes);
  const minutesOk = Number.isInteger(minutesN) && minutesN >= 1 && minutesN <= 240;
  const ready = (action !== 'extend' || minutesOk) && (action !== 'message' || text.trim() !== '') && closeOk;

  const submit = async (reason: string) => {
    const body: ProctorActionBody = { action, reason };
    if (seat) body.candidateIds = [seat.candidateId];
    if (action === 'extend') body.minutes = minutesN;
    if (action === 'sanction') body.level = level;
    if (action === 'message') body.text = text.trim();
    if (action === 'close_room') body.absentees = closing?.absentees.map((a) => a.candidateId) ?? [];
    onDone(request, await proctorApi.act(sittingId, roomId, body));
  };

  const who = seat
    ? `${t('proctor.seatNo', { n: String(seat.seatNo) })} — ${seat.number} ${seat.fullName}`
    : t('proctor.wholeRoom', { code: roomCode });
  let warning: string | null = null;
  if (action === 'open_sitting') warning = t('proctor.warnOpen');
  else if (action === 'close_room') warning = t('proctor.closeWarn');
  else if (action === 'pause' && !seat) warning = t('proctor.warnPauseRoom');
  else if (action === 'allow_move') warning = t('proctor.warnMove');
  else if (action === 'force_submit') warning = t('proctor.warnForceSubmit');
  else if (action === 'admit_late') warning = t('proctor.warnAdmitLate');
  else if (action === 'sanction' && level === 'dinh_chi') warning = t('proctor.warnSuspend');
  const danger = action === 'force_submit' || (action === 'sanction' && level === 'dinh_chi');

  return (
    <ReasonDialog
      title={labels.action(action)}
      testId="action-dialog"
      className="proctor-dialog"
      reasonLabel={t('proctor.reason')}
      reasonHint={t('proctor.reasonHint')}
      reasonTestId="action-reason"
      ready={ready}
      submitLabel={`${t('proctor.confirm')}: ${labels.action(action)}`}
      busyLabel={t('proctor.working')}
      submitTestId="action-submit"
      cancelTestId="action-cancel"
      errorTestId="action-error"
      danger={danger}
      onSubmit={submit}
      onClose={onClose}
      after={
        warning ? (
          <p className={danger ? 'alert alert-error' : 'alert alert-warn'} data-testid="action-warning">
            {warning}
          </p>
        ) : null
      }
    >
      <p className="strong" data-testid="action-target">
        {who}
      </p>
      <ErrorBox error={error} testId="closing-error" />
      {action === 'extend' ? (
        <FormField label={t('proctor.minutes')} required>
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={240}
              className="input-count"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              data-testid="action-minutes"
            />
          )}
        </FormField>
      ) : null}
      {action === 'sanction' ? (
        <fieldset className="field">
          <legend>{t('proctor.level')}</legend>
          <div className="radio-row">
            {PROCTOR_SANCTIONS.map((l) => (
              <label key={l} className="check">
                <input
                  type="radio"
                  name={`${id}-level`}
                  value={l}
                  checked={level === l}
                  onChange={() => setLevel(l)}
                  data-testid={`action-level-${l}`}
                />
                {labels.sanction(l)}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {action === 'close_room' ? (
        <div className="field" data-testid="closing">
          {closing === null ? (
            <p className="muted">{t('proctor.closeLoading')}</p>
          ) : closing.running.length > 0 ? (
            <div className="alert alert-error" data-testid="closing-running">
              <p>{t('proctor.closeRunning', { n: String(closing.running.length) })}</p>
              <ul>
                {closing.running.map((r) => (
                  <li key={`${r.candidateId}-${r.part}`}>
                    {t('proctor.seatNo', { n: String(r.seatNo) })} — {r.number} {r.fullName}: {r.part}
                  </li>
                ))}
              </ul>
            </div>
          ) : closing.absentees.length === 0 ? (
            <p data-testid="closing-none">{t('proctor.closeNoAbsent')}</p>
          ) : (
            <>
              <p>{t('proctor.closeAbsentees', { n: String(closing.absentees.length) })}</p>
              <ul data-testid="closing-absentees">
                {closing.absentees.map((a) => (
                  <li key={a.candidateId} data-number={a.number}>
                    {t('proctor.seatNo', { n: String(a.seatNo) })} — {a.number} {a.fullName}:{' '}
                    {a.parts.map((p) => p.name).join('; ')}
                  </li>
                ))}
              </ul>
              <label className="check">
                <input
                  type="checkbox"
                  checked={confirmed}
                  onChange={(e) => setConfirmed(e.target.checked)}
                  data-testid="closing-confirm"
                />
                {t('proctor.closeConfirm')}
              </label>
            </>
          )}
        </div>
      ) : null}
      {action === 'message' ? (
        <FormField label={t('proctor.text')} required>
          {(c) => (
            <textarea
              {...c}
              rows={3}
              maxLength={500}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="action-text"
            />
          )}
        </FormField>
      ) : null}
    </ReasonDialog>
  );
}
