import { zonedLocalToInstant } from '@exam/shared/time';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AssignResult, type ExamDetail, examsApi, type SittingDto } from '../../api/exams';
import { ApiError } from '../../api/http';
import { formatDateTime, formatNumber, zoneNote } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useHasRole } from '../../ui/RoleGate';
import { useResource } from '../../ui/useResource';
import { ConfirmAction } from './ConfirmAction';
import type { ExamTabProps } from './labels';

function AddRoomForm({ examId, onAdded }: { examId: number; onAdded: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [location, setLocation] = useState('');
  const [seats, setSeats] = useState('30');
  const [seatsPerRow, setSeatsPerRow] = useState('6');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await examsApi.addRoom(examId, {
        code: code.trim(),
        name: name.trim(),
        location: location.trim() || undefined,
        seats: Number(seats),
        seatsPerRow: seatsPerRow ? Number(seatsPerRow) : undefined,
      });
      toast.success(t('rooms.roomAdded', { code: code.trim() }));
      setCode('');
      setName('');
      setLocation('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="room-form" aria-labelledby="room-add-h">
      <h3 id="room-add-h">{t('rooms.addRoom')}</h3>
      <div className="row">
        <FormField label={t('rooms.code')} id="room-code" required>
          {(c) => (
            <input
              {...c}
              value={code}
              maxLength={32}
              className="input-short"
              onChange={(e) => setCode(e.target.value)}
              data-testid="room-code"
            />
          )}
        </FormField>
        <FormField label={t('rooms.name')} id="room-name" className="field grow" required>
          {(c) => <input {...c} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="room-name" />}
        </FormField>
        <FormField label={t('rooms.location')} id="room-location" className="field grow">
          {(c) => (
            <input
              {...c}
              value={location}
              maxLength={300}
              onChange={(e) => setLocation(e.target.value)}
              data-testid="room-location"
            />
          )}
        </FormField>
        <FormField label={t('rooms.seats')} id="room-seats" required>
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={500}
              className="input-count"
              value={seats}
              onChange={(e) => setSeats(e.target.value)}
              data-testid="room-seats"
            />
          )}
        </FormField>
        <FormField label={t('rooms.seatsPerRow')} id="room-per-row">
          {(c) => (
            <input
              {...c}
              type="number"
              min={1}
              max={50}
              className="input-count"
              value={seatsPerRow}
              onChange={(e) => setSeatsPerRow(e.target.value)}
              data-testid="room-per-row"
            />
          )}
        </FormField>
        <div className="field field-button">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !code.trim() || !name.trim() || !seats}
            data-testid="room-add"
          >
            {t('common.add')}
          </button>
        </div>
      </div>
      <ErrorBox error={error} testId="room-error" />
    </form>
  );
}

function AddSittingForm({ exam, onAdded }: { exam: ExamDetail; onAdded: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [partIds, setPartIds] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const toggle = (id: number, on: boolean) =>
    setPartIds((ids) => (on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // datetime-local is a wall-clock time in the exam's zone, whatever the browser's zone is
    const when = zonedLocalToInstant(startsAt, exam.timeZone);
    if (!startsAt || when === null) {
      setError(new Error(t('rooms.needStart')));
      return;
    }
    if (partIds.length === 0) {
      setError(new Error(t('rooms.needParts')));
      return;
    }
    setBusy(true);
    try {
      const ordered = exam.parts.filter((p) => partIds.includes(p.id)).map((p) => p.id);
      await examsApi.addSitting(exam.id, { name: name.trim(), startsAt: new Date(when).toISOString(), partIds: ordered });
      toast.success(t('rooms.sittingAdded', { name: name.trim() }));
      setName('');
      setStartsAt('');
      setPartIds([]);
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="sitting-form" aria-labelledby="sitting-add-h">
      <h3 id="sitting-add-h">{t('rooms.addSitting')}</h3>
      <div className="row">
        <FormField label={t('rooms.sittingName')} id="sitting-name" className="field grow" required>
          {(c) => (
            <input {...c} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="sitting-name" />
          )}
        </FormField>
        <FormField
          label={
            <>
              {t('rooms.startsAt')} <span className="muted small">({zoneNote(exam.timeZone)})</span>
            </>
          }
          id="sitting-start"
          required
        >
          {(c) => (
            <input
              {...c}
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              data-testid="sitting-start"
            />
          )}
        </FormField>
      </div>
      <fieldset className="field" data-testid="sitting-parts">
        <legend>{t('rooms.parts')}</legend>
        <div className="check-col">
          {exam.parts.map((p) => (
            <label key={p.id} className="check">
              <input
                type="checkbox"
                checked={partIds.includes(p.id)}
                onChange={(e) => toggle(p.id, e.target.checked)}
                data-testid={`sitting-part-${p.code}`}
                data-mode={p.mode}
              />
              {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()} data-testid="sitting-add">
          {t('common.add')}
        </button>
      </div>
      <ErrorBox error={error} testId="sitting-error" />
    </form>
  );
}

/** "P01: 25, P02: 25" (`line` formats one room, so no translation function type is passed around). */
function perRoomText(line: (room: string, count: number) => string, r: AssignResult): string {
  return Object.entries(r.perRoom)
    .map(([room, count]) => line(room, count))
    .join(', ');
}

function SittingRow({
  exam,
  sitting,
  editable,
  onChanged,
}: {
  exam: ExamDetail;
  sitting: SittingDto;
  editable: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<AssignResult | null>(null);
  const partNames = sitting.partIds.map((id) => exam.parts.find((p) => p.id === id)?.name ?? `#${id}`).join('; ');

  const assign = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await examsApi.assignSeats(sitting.id);
      setResult(r);
      toast.success(
        t('rooms.assignedDone', {
          assigned: formatNumber(r.assigned),
          perRoom: perRoomText((room, count) => t('rooms.roomsPerSitting', { room, count }), r),
        }),
      );
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const label = busy ? t('rooms.assigning') : t('rooms.assign');
  return (
    <tr data-testid="sitting-row" data-name={sitting.name} data-sitting-id={sitting.id}>
      <th scope="row">{sitting.name}</th>
      <td className="nowrap">{formatDateTime(sitting.startsAt, exam.timeZone)}</td>
      <td>{partNames}</td>
      <td className="num" data-testid="sitting-assigned" data-assigned={sitting.assigned}>
        {formatNumber(sitting.assigned)}/{formatNumber(exam.candidates)}
      </td>
      {editable ? (
        <td>
          {sitting.assigned > 0 ? (
            <ConfirmAction
              label={label}
              message={t('rooms.assignConfirm')}
              onConfirm={assign}
              busy={busy}
              className="btn btn-small"
              testId="sitting-assign"
            />
          ) : (
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => void assign()}
              disabled={busy}
              aria-label={t('rooms.assignFor', { name: sitting.name })}
              data-testid="sitting-assign"
            >
              {label}
            </button>
          )}
          {result ? (
            <p className="hint" role="status" data-testid="sitting-assign-result" data-assigned={result.assigned}>
              {t('rooms.assignedDone', {
                assigned: formatNumber(result.assigned),
                perRoom: perRoomText((room, count) => t('rooms.roomsPerSitting', { room, count }), result),
              })}
            </p>
          ) : null}
          <ErrorBox error={error} testId="sitting-assign-error" />
        </td>
      ) : null}
      <td>
        <ul className="link-list">
          <li>
            <a href={examsApi.roomListPdfUrl(sitting.id)} download data-testid="room-list-pdf">
              {t('rooms.roomListPdf')}
            </a>
          </li>
          <li>
            <a href={examsApi.roomListXlsxUrl(sitting.id)} download data-testid="room-list-xlsx">
              {t('rooms.roomListXlsx')}
            </a>
          </li>
        </ul>
      </td>
    </tr>
  );
}

function Invigilators({ exam }: { exam: ExamDetail }) {
  const { t } = useTranslation();
  // the list of accounts is the administrator's: a board user is told so, without a refused request (issue 19)
  const isAdmin = useHasRole('admin');
  const users = useResource(() => (isAdmin ? examsApi.users() : Promise.resolve(null)), [isAdmin]);
  const [sittingId, setSittingId] = useState('');
  const [roomId, setRoomId] = useState('');
  const [userId, setUserId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const forbidden = !isAdmin || (users.error instanceof ApiError && (users.error.status === 403 || users.error.status === 401));
  const invigilators = (users.data ?? []).filter((u) => u.active && u.roles.includes('invigilator'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await examsApi.assignInvigilator(Number(sittingId), Number(roomId), Number(userId));
      const u = invigilators.find((x) => x.id === Number(userId));
      const r = exam.rooms.find((x) => x.id === Number(roomId));
      toast.success(t('rooms.invAssigned', { name: u?.fullName ?? userId, room: r?.name ?? roomId }));
      setUserId('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (exam.rooms.length === 0 || exam.sittings.length === 0) return null;
  return (
    <section className="card" aria-labelledby="inv-h" data-testid="invigilators">
      <h3 id="inv-h">{t('rooms.invigilators')}</h3>
      {users.loading && !users.data && !users.error ? <Loading /> : null}
      {forbidden ? (
        <p className="notice" data-testid="invigilators-admin-only">
          {t('rooms.invAdminOnly')}
        </p>
      ) : users.error ? (
        <ErrorBox error={users.error} />
      ) : null}
      {users.data ? (
        invigilators.length === 0 ? (
          <p className="muted">{t('rooms.noInvigilators')}</p>
        ) : (
          <form onSubmit={submit} className="row">
            <FormField label={t('rooms.sitting')} id="inv-sitting" required>
              {(c) => (
                <select {...c} value={sittingId} onChange={(e) => setSittingId(e.target.value)} data-testid="inv-sitting">
                  <option value="">—</option>
                  {exam.sittings.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('rooms.invRoom')} id="inv-room" required>
              {(c) => (
                <select {...c} value={roomId} onChange={(e) => setRoomId(e.target.value)} data-testid="inv-room">
                  <option value="">{t('rooms.chooseRoom')}</option>
                  {exam.rooms.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.code} — {r.name}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField label={t('rooms.invUser')} id="inv-user" className="field grow" required>
              {(c) => (
                <select {...c} value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="inv-user">
                  <option value="">{t('rooms.chooseInvigilator')}</option>
                  {invigilators.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.fullName} ({u.username})
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <div className="field field-button">
              <button
                type="submit"
                className="btn btn-primary"
                disabled={busy || !sittingId || !roomId || !userId}
                data-testid="inv-assign"
              >
                {t('rooms.assignInv')}
              </button>
            </div>
          </form>
        )
      ) : null}
      <ErrorBox error={error} testId="inv-error" />
    </section>
  );
}

/** Moves one candidate to another room or seat of a sitting (the server refuses an occupied seat). */
function MoveSeat({ exam, onMoved }: { exam: ExamDetail; onMoved: () => void }) {
  const { t } = useTranslation();
  const candidates = useResource(() => examsApi.candidates(exam.id), [exam.id]);
  const [sittingId, setSittingId] = useState('');
  const [candidateId, setCandidateId] = useState('');
  const [roomId, setRoomId] = useState('');
  const [seatNo, setSeatNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await examsApi.moveSeat(Number(sittingId), Number(candidateId), Number(roomId), Number(seatNo));
      const c = candidates.data?.find((x) => x.id === Number(candidateId));
      const r = exam.rooms.find((x) => x.id === Number(roomId));
      toast.success(t('rooms.moved', { number: c?.number ?? candidateId, room: r?.name ?? roomId, seat: seatNo }));
      setSeatNo('');
      onMoved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (exam.rooms.length === 0 || exam.sittings.length === 0 || exam.candidates === 0) return null;
  return (
    <section className="card" aria-labelledby="move-h" data-testid="move-seat">
      <h3 id="move-h">{t('rooms.moveTitle')}</h3>
      <form onSubmit={submit} className="row">
        <FormField label={t('rooms.sitting')} id="move-sitting" required>
          {(c) => (
            <select {...c} value={sittingId} onChange={(e) => setSittingId(e.target.value)}>
              <option value="">—</option>
              {exam.sittings.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('rooms.moveCandidate')} id="move-candidate" className="field grow" required>
          {(c) => (
            <select {...c} value={candidateId} onChange={(e) => setCandidateId(e.target.value)}>
              <option value="">—</option>
              {(candidates.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number} — {c.fullName}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('rooms.invRoom')} id="move-room" required>
          {(c) => (
            <select {...c} value={roomId} onChange={(e) => setRoomId(e.target.value)}>
              <option value="">{t('rooms.chooseRoom')}</option>
              {exam.rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.code} — {r.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label={t('rooms.moveSeatNo')} id="move-seat-no" required>
          {(c) => <input {...c} type="number" min={1} value={seatNo} onChange={(e) => setSeatNo(e.target.value)} />}
        </FormField>
        <div className="field field-button">
          <button type="submit" className="btn btn-primary" disabled={busy || !sittingId || !candidateId || !roomId || !seatNo}>
            {t('rooms.moveAction')}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

export function RoomsTab({ exam, editable, refresh }: ExamTabProps) {
  const { t } = useTranslation();
  const capacity = exam.rooms.reduce((n, r) => n + r.seats, 0);

  return (
    <div data-testid="rooms-tab">
      <h2>{t('rooms.roomsTitle')}</h2>
      {exam.rooms.length === 0 ? (
        <p className="empty">{t('rooms.noRooms')}</p>
      ) : (
        <>
          <table className="table" data-testid="rooms-table">
            <thead>
              <tr>
                <th scope="col">{t('rooms.code')}</th>
                <th scope="col">{t('rooms.name')}</th>
                <th scope="col">{t('rooms.location')}</th>
                <th scope="col" className="num">
                  {t('rooms.seats')}
                </th>
                <th scope="col" className="num">
                  {t('rooms.seatsPerRow')}
                </th>
              </tr>
            </thead>
            <tbody>
              {exam.rooms.map((r) => (
                <tr key={r.id} data-testid={`room-row-${r.code}`}>
                  <td>
                    <span className="code-badge small">{r.code}</span>
                  </td>
                  <td>{r.name}</td>
                  <td>{r.location}</td>
                  <td className="num">{formatNumber(r.seats)}</td>
                  <td className="num">{formatNumber(r.seatsPerRow)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className={capacity < exam.candidates ? 'notice' : 'hint'} data-testid="rooms-capacity">
            {t('rooms.capacity', { seats: formatNumber(capacity), candidates: formatNumber(exam.candidates) })}
          </p>
        </>
      )}
      {editable ? <AddRoomForm examId={exam.id} onAdded={refresh} /> : null}

      <h2>{t('rooms.sittingsTitle')}</h2>
      {exam.sittings.length === 0 ? (
        <p className="empty">{t('rooms.noSittings')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="sittings-table">
            <thead>
              <tr>
                <th scope="col">{t('rooms.sittingName')}</th>
                <th scope="col">{t('rooms.startsAt')}</th>
                <th scope="col">{t('rooms.parts')}</th>
                <th scope="col" className="num">
                  {t('rooms.assigned')}
                </th>
                {editable ? <th scope="col">{t('common.actions')}</th> : null}
                <th scope="col">{t('rooms.documents')}</th>
              </tr>
            </thead>
            <tbody>
              {exam.sittings.map((s) => (
                <SittingRow key={s.id} exam={exam} sitting={s} editable={editable} onChanged={refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editable ? <AddSittingForm exam={exam} onAdded={refresh} /> : null}
      {editable ? <MoveSeat exam={exam} onMoved={refresh} /> : null}
      <Invigilators exam={exam} />
    </div>
  );
}
