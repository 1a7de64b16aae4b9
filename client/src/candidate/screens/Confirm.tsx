import { formatDate } from '../../i18n/format';
import { useSession } from '../stores/session';
import { Frame, useT } from '../ui';

export function Confirm() {
  const { t } = useT();
  const me = useSession((s) => s.me);
  const confirm = useSession((s) => s.confirm);
  const logout = useSession((s) => s.logout);
  if (!me) return null;
  const c = me.candidate;
  const rows: [string, string, string][] = [
    [t('confirm.fullName'), c.fullName, 'name'],
    [t('confirm.dateOfBirth'), formatDate(c.dateOfBirth), 'dob'],
    [t('confirm.number'), c.number, 'number'],
    [t('confirm.room'), c.roomName ?? t('confirm.notAssigned'), 'room'],
    [t('confirm.seat'), c.seatNo === null ? t('confirm.notAssigned') : String(c.seatNo), 'seat'],
    [t('confirm.exam'), me.exam.name, 'exam'],
  ];
  if (me.sitting) rows.push([t('confirm.sitting'), me.sitting.name, 'sitting']);
  return (
    <Frame>
      <h1>{t('confirm.title')}</h1>
      <p className="muted">{t('confirm.intro')}</p>
      <dl className="cand-facts" data-testid="cand-facts">
        {rows.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={`fact-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <button
        type="button"
        className="btn btn-primary btn-block btn-large"
        onClick={confirm}
        // biome-ignore lint/a11y/noAutofocus: the one action of the screen
        autoFocus
        data-testid="confirm-ok"
      >
        {t('confirm.ok')}
      </button>
      <p className="notice cand-gap">{t('confirm.wrong')}</p>
      <p className="cand-gap">
        <button type="button" className="btn btn-ghost" onClick={() => void logout()} data-testid="cand-logout">
          {t('app.logout')}
        </button>
      </p>
    </Frame>
  );
}
