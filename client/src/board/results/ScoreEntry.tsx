import type { ExamPartDto } from '@exam/shared';
import { type FormEvent, type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CandidateMarksDto, MarkingRuleBody, ScoreEntryBody, ScoreEntryIssue } from '../../api/results';
import { resultsApi, scoreIssues } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { ReasonField } from '../../ui/ReasonDialog';
import { useResource } from '../../ui/useResource';
import { parseScore, score, useResultLabels } from './labels';

/** 1 or 2: a marker's batch; 0: the board's resolution of a difference between the two markers. */
export type Marker = 0 | 1 | 2;

interface Entry {
  score: string;
  again: string;
  absent: boolean;
}

const BLANK: Entry = { score: '', again: '', absent: false };
type Col = 'score' | 'again' | 'absent';
type Problem = 'mismatch' | 'notNumber' | 'range';

/** What the form can tell before sending: null when the row is fine (or not entered). */
function problemOf(e: Entry, scale: number): Problem | null {
  if (e.absent) return null;
  const a = parseScore(e.score);
  const b = parseScore(e.again);
  if (a === null && b === null) return null;
  if (Number.isNaN(a) || Number.isNaN(b)) return 'notNumber';
  if (a === null || b === null || a !== b) return 'mismatch';
  if (a < 0 || a > scale) return 'range';
  return null;
}

function entered(e: Entry): boolean {
  return e.absent || e.score.trim() !== '' || e.again.trim() !== '';
}

/** This marker's stored value, as shown beside the inputs. */
function storedOf(m: CandidateMarksDto['marks'], marker: Marker): number | null {
  return marker === 1 ? m.marker1 : marker === 2 ? m.marker2 : m.resolved;
}

/** Splits a pasted line "SBD<TAB>điểm" (also ";" or spaces) into number and score text. */
function splitLine(line: string): [string, string] | null {
  const cells = line
    .trim()
    .split(/\t|;|\s+/)
    .map((c) => c.trim());
  if (!cells[0]) return null;
  return [cells[0], cells[1] ?? ''];
}

const ABSENT_WORDS = new Set(['v', 'vắng', 'vang', 'absent']);

interface Props {
  examId: number;
  part: ExamPartDto;
  rule: MarkingRuleBody;
  marker: Marker;
  /** results are published: nothing can be entered */
  frozen: boolean;
}

/**
 * Double entry of one marker's scores for one part: every row is typed twice ("Điểm" and "Nhập
 * lại"); rows whose two values differ are highlighted before anything is sent; blank rows are not
 * sent; "Vắng" sends an absence. The server takes the batch whole or not at all and its row-level
 * report is shown beside the rows. Enter or ↓ moves down a column, ↑ up; Tab goes across.
 */
export function ScoreEntry({ examId, part, rule, marker, frozen }: Props) {
  const { t } = useTranslation();
  const labels = useResultLabels();
  const id = useId();
  const marks = useResource(() => resultsApi.marks(examId, part.id), [examId, part.id]);
  const [entries, setEntries] = useState<Record<number, Entry>>({});
  const [issues, setIssues] = useState<Map<number, ScoreEntryIssue>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [paste, setPaste] = useState('');
  const [pasteCol, setPasteCol] = useState<'score' | 'again'>('score');
  const [pasteReport, setPasteReport] = useState<string | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);

  const rows = useMemo(() => {
    const all = marks.data ?? [];
    if (marker === 0) return all.filter((r) => r.marks.state === 'needs_resolution');
    if (!onlyOpen) return all;
    return all.filter((r) => r.marks.state !== 'done' && r.marks.state !== 'absent' && storedOf(r.marks, marker) === null);
  }, [marks.data, marker, onlyOpen]);

  const entryOf = (candidateId: number): Entry => entries[candidateId] ?? BLANK;
  const setEntry = (candidateId: number, patch: Partial<Entry>) => {
    setEntries((prev) => ({ ...prev, [candidateId]: { ...(prev[candidateId] ?? BLANK), ...patch } }));
    setIssues((prev) => {
      if (!prev.has(candidateId)) return prev;
      const next = new Map(prev);
      next.delete(candidateId);
      return next;
    });
  };

  // a score out of range is shown but left to the server, whose row report names it too; the two
  // entries not matching, or not being numbers, stop the batch here
  const problems = rows.flatMap((r) => {
    const p = problemOf(entryOf(r.candidateId), part.scoreScale);
    return p && p !== 'range' ? [{ candidateId: r.candidateId, problem: p }] : [];
  });
  const toSend = (marks.data ?? []).filter((r) => entered(entryOf(r.candidateId)));
  const showMarker2 = rule.markers === 2;
  const problemText = (p: Problem) =>
    p === 'range' ? t('results.entry.problem.range', { max: formatNumber(part.scoreScale) }) : t(`results.entry.problem.${p}`);

  const focusCell = (row: number, col: Col) => {
    const el = table.current?.querySelector<HTMLInputElement>(`[data-cell="${row}:${col}"]`);
    if (el) {
      el.focus();
      if (el.type === 'text') el.select();
    } else if (row >= rows.length) saveRef.current?.focus();
  };

  const onCellKey = (e: KeyboardEvent<HTMLInputElement>, row: number, col: Col) => {
    // Enter never submits the form from a cell: it moves down, like ↓
    if (e.key === 'Enter' || e.key === 'ArrowDown') {
      e.preventDefault();
      focusCell(row + 1, col);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (row > 0) focusCell(row - 1, col);
    }
  };

  const markBlankAbsent = () => {
    const next = { ...entries };
    let n = 0;
    for (const r of rows) {
      const e = next[r.candidateId] ?? BLANK;
      if (entered(e) || storedOf(r.marks, marker) !== null || r.marks.state === 'done' || r.marks.state === 'absent') continue;
      next[r.candidateId] = { score: '', again: '', absent: true };
      n++;
    }
    setEntries(next);
    toast.success(t('results.entry.markedAbsent', { n: formatNumber(n) }));
  };

  const applyPaste = () => {
    const byNumber = new Map((marks.data ?? []).map((r) => [r.number.toUpperCase(), r.candidateId]));
    const next = { ...entries };
    let filled = 0;
    const unknown: string[] = [];
    for (const line of paste.split(/\r?\n/)) {
      const cells = splitLine(line);
      if (!cells) continue;
      const [num, value] = cells;
      const cid = byNumber.get(num.toUpperCase());
      if (cid === undefined) {
        // a header row ("SBD", "Số báo danh") is skipped quietly
        if (filled > 0 || /\d/.test(num)) unknown.push(num);
        continue;
      }
      const e = next[cid] ?? BLANK;
      next[cid] = ABSENT_WORDS.has(value.toLocaleLowerCase('vi'))
        ? { score: '', again: '', absent: true }
        : { ...e, absent: false, [pasteCol]: value };
      filled++;
    }
    setEntries(next);
    setPasteReport(
      unknown.length
        ? t('results.entry.pastedUnknown', { n: formatNumber(filled), list: unknown.join(', ') })
        : t('results.entry.pasted', { n: formatNumber(filled) }),
    );
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    if (problems.length > 0) {
      setError(new Error(t('results.entry.fixFirst', { n: formatNumber(problems.length) })));
      const first = rows.findIndex((r) => r.candidateId === problems[0]?.candidateId);
      if (first >= 0) focusCell(first, 'again');
      return;
    }
    if (toSend.length === 0) {
      setError(new Error(t('results.entry.nothing')));
      return;
    }
    if (marker === 0 && !reason.trim()) {
      setError(new Error(t('results.entry.reasonRequired')));
      return;
    }
    const body: ScoreEntryBody = {
      partId: part.id,
      marker,
      rows: toSend.map((r) => {
        const e = entryOf(r.candidateId);
        const v = e.absent ? null : parseScore(e.score);
        const again = e.absent ? null : parseScore(e.again);
        return { number: r.number, score: v, scoreAgain: again };
      }),
    };
    if (reason.trim()) body.reason = reason.trim();
    setBusy(true);
    try {
      const rep = await resultsApi.enterScores(examId, body);
      toast.success(t('results.entry.saved', { n: formatNumber(rep.saved) }));
      setEntries({});
      setIssues(new Map());
      setReason('');
      marks.reload();
    } catch (err) {
      const list = scoreIssues(err);
      const map = new Map<number, ScoreEntryIssue>();
      for (const i of list) {
        const r = toSend[i.row - 1];
        if (r) map.set(r.candidateId, i);
      }
      setIssues(map);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (marks.error && !marks.data) return <ErrorBox error={marks.error} />;
  if (!marks.data) return <Loading />;

  const title =
    marker === 0
      ? t('results.entry.titleBoard', { part: part.name })
      : t('results.entry.title', { part: part.name, n: String(marker) });

  return (
    <form
      className="card score-entry"
      onSubmit={submit}
      aria-labelledby={`${id}-h`}
      data-testid="score-entry"
      data-marker={marker}
    >
      <h3 id={`${id}-h`} className="h-small">
        {title}
      </h3>
      <p className="muted">
        {marker === 0 ? t('results.entry.introBoard') : t('results.entry.intro', { max: formatNumber(part.scoreScale) })}
      </p>
      {frozen ? (
        <p className="alert alert-info" data-testid="entry-frozen">
          {t('results.frozenNote')}
        </p>
      ) : null}
      {marker !== 0 ? (
        <div className="toolbar-row">
          <label className="check">
            <input
              type="checkbox"
              checked={onlyOpen}
              onChange={(e) => setOnlyOpen(e.target.checked)}
              data-testid="entry-only-open"
            />
            {t('results.entry.onlyOpen')}
          </label>
          <button
            type="button"
            className="btn btn-small"
            onClick={markBlankAbsent}
            disabled={frozen}
            data-testid="entry-blank-absent"
          >
            {t('results.entry.blankAbsent')}
          </button>
        </div>
      ) : null}
      {marker !== 0 && !frozen ? (
        <details className="paste-box">
          <summary>{t('results.entry.pasteTitle')}</summary>
          <p className="hint">{t('results.entry.pasteHint')}</p>
          <FormField label={t('results.entry.pasteLabel')} id={`${id}-paste`}>
            {(c) => (
              <textarea {...c} rows={4} value={paste} onChange={(e) => setPaste(e.target.value)} data-testid="entry-paste" />
            )}
          </FormField>
          <div className="row">
            <FormField label={t('results.entry.pasteInto')} id={`${id}-paste-col`}>
              {(c) => (
                <select {...c} value={pasteCol} onChange={(e) => setPasteCol(e.target.value === 'again' ? 'again' : 'score')}>
                  <option value="score">{t('results.entry.colScore')}</option>
                  <option value="again">{t('results.entry.colAgain')}</option>
                </select>
              )}
            </FormField>
            <div className="field field-button">
              <button type="button" className="btn" onClick={applyPaste} disabled={!paste.trim()} data-testid="entry-paste-apply">
                {t('results.entry.pasteApply')}
              </button>
            </div>
          </div>
          {pasteReport ? (
            <p role="status" data-testid="entry-paste-report">
              {pasteReport}
            </p>
          ) : null}
        </details>
      ) : null}

      {rows.length === 0 ? (
        <p className="empty" data-testid="entry-empty">
          {marker === 0 ? t('results.entry.noneToResolve') : t('results.entry.none')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact entry-table" ref={table} data-testid="entry-table">
            <thead>
              <tr>
                <th scope="col">{t('results.col.number')}</th>
                <th scope="col">{t('results.col.name')}</th>
                <th scope="col">{t('results.col.room')}</th>
                <th scope="col" className="num">
                  {t('results.entry.marker1')}
                </th>
                {showMarker2 ? (
                  <th scope="col" className="num">
                    {t('results.entry.marker2')}
                  </th>
                ) : null}
                {marker === 0 ? (
                  <th scope="col" className="num">
                    {t('results.entry.difference')}
                  </th>
                ) : null}
                <th scope="col">{t('results.entry.state')}</th>
                <th scope="col">{t('results.entry.colScore')}</th>
                <th scope="col">{t('results.entry.colAgain')}</th>
                {marker !== 0 ? <th scope="col">{t('results.entry.absent')}</th> : null}
                <th scope="col">{t('results.entry.check')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const e = entryOf(r.candidateId);
                const p = problemOf(e, part.scoreScale);
                const issue = issues.get(r.candidateId);
                const bad = !!p || !!issue;
                const msgId = `${id}-msg-${r.candidateId}`;
                const rowLabel = `${r.number} ${r.fullName}`;
                return (
                  <tr
                    key={r.candidateId}
                    className={bad ? 'row-problem' : entered(e) ? 'row-entered' : undefined}
                    data-testid={`entry-row-${r.number}`}
                    data-problem={p ?? issue?.code ?? ''}
                    data-state={r.marks.state}
                  >
                    <th scope="row" className="nowrap">
                      {r.number}
                    </th>
                    <td>{r.fullName}</td>
                    <td>{r.roomCode ?? '—'}</td>
                    <td className="num">{score(r.marks.marker1)}</td>
                    {showMarker2 ? <td className="num">{score(r.marks.marker2)}</td> : null}
                    {marker === 0 ? (
                      <td className="num">
                        {r.marks.marker1 !== null && r.marks.marker2 !== null
                          ? score(Math.abs(r.marks.marker1 - r.marks.marker2))
                          : '—'}
                      </td>
                    ) : null}
                    <td>
                      <span className={`badge mark-${r.marks.state}`}>{labels.markState(r.marks.state)}</span>
                      {r.marks.final !== null ? <span className="strong"> {score(r.marks.final)}</span> : null}
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        className={`input-score${p ? ' input-bad' : ''}`}
                        aria-label={t('results.entry.scoreOf', { who: rowLabel })}
                        aria-invalid={!!p}
                        aria-describedby={bad ? msgId : undefined}
                        value={e.score}
                        disabled={e.absent || frozen}
                        onChange={(ev) => setEntry(r.candidateId, { score: ev.target.value })}
                        onKeyDown={(ev) => onCellKey(ev, i, 'score')}
                        data-cell={`${i}:score`}
                        data-testid={`entry-score-${r.number}`}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        className={`input-score${p ? ' input-bad' : ''}`}
                        aria-label={t('results.entry.againOf', { who: rowLabel })}
                        aria-invalid={!!p}
                        aria-describedby={bad ? msgId : undefined}
                        value={e.again}
                        disabled={e.absent || frozen}
                        onChange={(ev) => setEntry(r.candidateId, { again: ev.target.value })}
                        onKeyDown={(ev) => onCellKey(ev, i, 'again')}
                        data-cell={`${i}:again`}
                        data-testid={`entry-again-${r.number}`}
                      />
                    </td>
                    {marker !== 0 ? (
                      <td>
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={e.absent}
                            disabled={frozen}
                            onChange={(ev) => setEntry(r.candidateId, { absent: ev.target.checked, score: '', again: '' })}
                            onKeyDown={(ev) => onCellKey(ev, i, 'absent')}
                            data-cell={`${i}:absent`}
                            data-testid={`entry-absent-${r.number}`}
                          />
                          <span className="visually-hidden">{t('results.entry.absentOf', { who: rowLabel })}</span>
                          <span aria-hidden="true">{t('results.entry.absentShort')}</span>
                        </label>
                      </td>
                    ) : null}
                    <td id={msgId} className="entry-msg" data-testid={`entry-msg-${r.number}`}>
                      {issue ? (
                        <span className="error-text" data-testid="entry-server-issue">
                          {issue.message}
                        </span>
                      ) : p ? (
                        <span className="error-text">{problemText(p)}</span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {marker === 0 && rows.length > 0 ? (
        <ReasonField
          label={t('results.entry.reason')}
          id={`${id}-reason`}
          value={reason}
          onChange={setReason}
          nativeRequired={false}
          testId="entry-reason"
        />
      ) : null}
      <p className="muted" role="status" data-testid="entry-summary">
        {t('results.entry.summary', { n: formatNumber(toSend.length), bad: formatNumber(problems.length) })}
      </p>
      <ErrorBox error={error} testId="entry-error" />
      <div className="button-row">
        <button
          type="submit"
          ref={saveRef}
          className="btn btn-primary"
          disabled={busy || frozen || rows.length === 0}
          data-testid="entry-save"
        >
          {busy ? t('common.saving') : t('results.entry.save')}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            setEntries({});
            setIssues(new Map());
            setError(null);
          }}
          disabled={busy}
          data-testid="entry-clear"
        >
          {t('results.entry.clear')}
        </button>
      </div>
    </form>
  );
}
