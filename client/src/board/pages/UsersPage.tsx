import { ROLES, type Role, type SubjectDto, type UpdateUserBody, type UserDto } from '@exam/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { usersApi } from '../../api/users';
import { formatDate } from '../../i18n/format';
import { toast } from '../../stores/toasts';
import { ErrorBox } from '../../ui/ErrorBox';
import { FormField } from '../../ui/FormField';
import { Loading } from '../../ui/Loading';
import { useLabels } from '../../ui/labels';
import { useResource } from '../../ui/useResource';

interface FormValues {
  username: string;
  fullName: string;
  password: string;
  roles: Role[];
  subjectIds: number[];
  active: boolean;
}

interface UserFormProps {
  user?: UserDto;
  subjects: SubjectDto[];
  onSaved: (u: UserDto) => void;
  onCancel?: () => void;
}

function UserForm({ user, subjects, onSaved, onCancel }: UserFormProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const editing = !!user;
  const prefix = editing ? `user-edit-${user.id}` : 'user-new';
  const [v, setV] = useState<FormValues>({
    username: user?.username ?? '',
    fullName: user?.fullName ?? '',
    password: '',
    roles: user?.roles ?? [],
    subjectIds: user?.subjectIds ?? [],
    active: user?.active ?? true,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const patch = (p: Partial<FormValues>) => setV((x) => ({ ...x, ...p }));

  const toggleRole = (r: Role, on: boolean) =>
    patch({ roles: on ? ROLES.filter((x) => x === r || v.roles.includes(x)) : v.roles.filter((x) => x !== r) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved: UserDto;
      if (user) {
        const body: UpdateUserBody = {
          fullName: v.fullName.trim(),
          roles: v.roles,
          subjectIds: v.subjectIds,
          active: v.active,
        };
        if (v.password) body.password = v.password;
        saved = await usersApi.update(user.id, body);
        toast.success(t('users.saved', { username: saved.username }));
      } else {
        saved = await usersApi.create({
          username: v.username.trim(),
          fullName: v.fullName.trim(),
          password: v.password,
          roles: v.roles,
          subjectIds: v.subjectIds,
        });
        toast.success(t('users.created', { username: saved.username }));
        setV({ username: '', fullName: '', password: '', roles: [], subjectIds: [], active: true });
      }
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card user-form" onSubmit={submit} data-testid={`${prefix}-form`}>
      <h2 className="h-small">{user ? t('users.editTitle', { username: user.username }) : t('users.createTitle')}</h2>
      <div className="row">
        {!editing ? (
          <FormField label={t('users.username')} id={`${prefix}-username`} required>
            {(c) => (
              <input
                {...c}
                value={v.username}
                autoComplete="off"
                maxLength={64}
                onChange={(e) => patch({ username: e.target.value })}
                data-testid={`${prefix}-username`}
              />
            )}
          </FormField>
        ) : null}
        <FormField label={t('users.fullName')} id={`${prefix}-fullname`} className="field grow" required>
          {(c) => (
            <input
              {...c}
              value={v.fullName}
              maxLength={128}
              onChange={(e) => patch({ fullName: e.target.value })}
              data-testid={`${prefix}-fullname`}
            />
          )}
        </FormField>
        <FormField
          label={editing ? t('users.newPassword') : t('users.password')}
          id={`${prefix}-password`}
          required={!editing}
          hint={t('users.passwordHint')}
        >
          {(c) => (
            <input
              {...c}
              type="password"
              autoComplete="new-password"
              value={v.password}
              minLength={8}
              onChange={(e) => patch({ password: e.target.value })}
              data-testid={`${prefix}-password`}
            />
          )}
        </FormField>
      </div>
      <div className="row">
        <fieldset className="field">
          <legend>{t('users.roles')}</legend>
          <div className="check-col">
            {ROLES.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={v.roles.includes(r)}
                  onChange={(e) => toggleRole(r, e.target.checked)}
                  data-testid={`${prefix}-role-${r}`}
                />
                {labels.role(r)}
              </label>
            ))}
          </div>
        </fieldset>
        <FormField label={t('users.subjects')} id={`${prefix}-subjects`} className="field grow" hint={t('users.subjectsHint')}>
          {(c) => (
            <select
              {...c}
              multiple
              size={Math.min(6, Math.max(3, subjects.length))}
              value={v.subjectIds.map(String)}
              onChange={(e) => patch({ subjectIds: [...e.target.selectedOptions].map((o) => Number(o.value)) })}
              data-testid={`${prefix}-subjects`}
            >
              {subjects.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {editing ? (
          <div className="field">
            <span className="label-like">{t('users.state')}</span>
            <label className="check">
              <input
                type="checkbox"
                checked={v.active}
                onChange={(e) => patch({ active: e.target.checked })}
                data-testid={`${prefix}-active`}
              />
              {t('users.active')}
            </label>
          </div>
        ) : null}
      </div>
      <ErrorBox error={error} testId={`${prefix}-error`} />
      <div className="button-row">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || v.roles.length === 0 || !v.fullName.trim() || (!editing && (!v.username.trim() || !v.password))}
          data-testid={`${prefix}-submit`}
        >
          {editing ? t('common.save') : t('common.create')}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const data = useResource(async () => {
    const [users, subjects] = await Promise.all([usersApi.list(), banksApi.subjects()]);
    return { users, subjects };
  }, []);
  const [editing, setEditing] = useState<number | null>(null);

  if (data.error && !data.data) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading />;
  const { users, subjects } = data.data;
  const subjectCode = new Map(subjects.map((s) => [s.id, s.code]));
  const editingUser = users.find((u) => u.id === editing);

  return (
    <div data-testid="users-page">
      <h1>{t('users.title')}</h1>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.fullName')}</th>
            <th scope="col">{t('users.roles')}</th>
            <th scope="col">{t('users.subjects')}</th>
            <th scope="col">{t('users.state')}</th>
            <th scope="col">{t('users.createdAt')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.active ? '' : 'row-muted'} data-testid={`user-row-${u.username}`}>
              <td>
                <code>{u.username}</code>
              </td>
              <td>{u.fullName}</td>
              <td>{u.roles.map((r) => labels.role(r)).join(', ')}</td>
              <td>{u.subjectIds.map((id) => subjectCode.get(id) ?? `#${id}`).join(', ')}</td>
              <td>
                <span className={`badge ${u.active ? 'badge-approved' : 'badge-retired'}`}>
                  {u.active ? t('users.active') : t('users.locked')}
                </span>
              </td>
              <td className="nowrap">{formatDate(u.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setEditing(editing === u.id ? null : u.id)}
                  aria-expanded={editing === u.id}
                  aria-label={`${t('common.edit')} ${u.username}`}
                  data-testid={`user-edit-${u.username}`}
                >
                  {t('common.edit')}
                </button>{' '}
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() =>
                    usersApi.signOutEverywhere(u.id).then(
                      () => toast.success(t('hardening.signOutEverywhereDone', { name: u.username })),
                      (e: unknown) => toast.error(e instanceof Error ? e.message : t('errors.unknown')),
                    )
                  }
                  data-testid={`user-signout-${u.username}`}
                >
                  {t('hardening.signOutEverywhere')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editingUser ? (
        <UserForm
          key={editingUser.id}
          user={editingUser}
          subjects={subjects}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            data.reload();
          }}
        />
      ) : null}
      <UserForm subjects={subjects} onSaved={() => data.reload()} />
    </div>
  );
}
