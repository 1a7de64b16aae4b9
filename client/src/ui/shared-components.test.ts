import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { vi } from '../i18n/vi';
import { describedBy, fieldIds } from './fieldIds';
import { REASON_MAX, reasonProblem } from './reason';
import { decideRoles } from './roles';

describe('reasonProblem (the reason dialog)', () => {
  it('refuses an empty or blank reason when it is required', () => {
    expect(reasonProblem('')).toEqual({ key: 'shared.reasonRequired' });
    expect(reasonProblem('  \n\t ')).toEqual({ key: 'shared.reasonRequired' });
  });
  it('accepts a reason with text, and an empty one when the reason is optional', () => {
    expect(reasonProblem('Thí sinh sử dụng tài liệu')).toBeNull();
    expect(reasonProblem('', false)).toBeNull();
  });
  it('refuses a reason longer than the server takes, counted after trimming', () => {
    expect(reasonProblem('a'.repeat(REASON_MAX + 1))).toEqual({ key: 'shared.reasonTooLong', max: REASON_MAX });
    expect(reasonProblem(`  ${'a'.repeat(REASON_MAX)}  `)).toBeNull();
  });
  it('has its messages in Vietnamese and English', () => {
    expect(vi.shared.reasonRequired).toMatch(/lý do/);
    expect(en.shared.reasonRequired).toMatch(/reason/);
  });
});

describe('fieldIds / describedBy (the form field)', () => {
  const ids = fieldIds('f1');
  it('gives the control, hint and error distinct ids', () => {
    expect(new Set([ids.control, ids.hint, ids.error]).size).toBe(3);
  });
  it('describes the control by the hint and the error that are shown, in that order', () => {
    expect(describedBy(ids, false, false)).toBeUndefined();
    expect(describedBy(ids, true, false)).toBe('f1-hint');
    expect(describedBy(ids, false, true)).toBe('f1-error');
    expect(describedBy(ids, true, true, 'warn')).toBe('f1-hint f1-error warn');
  });
});

describe('decideRoles (the role gate)', () => {
  it('allows a user holding any of the roles', () => {
    expect(decideRoles({ roles: ['author', 'board'] }, ['board', 'admin'])).toEqual({ allowed: true });
  });
  it('refuses with the roles needed, and whether anyone is signed in', () => {
    expect(decideRoles({ roles: ['invigilator'] }, ['board', 'admin'])).toEqual({
      allowed: false,
      needed: ['board', 'admin'],
      signedIn: true,
    });
    expect(decideRoles(null, ['admin'])).toEqual({ allowed: false, needed: ['admin'], signedIn: false });
    expect(decideRoles({ roles: [] }, ['chair']).allowed).toBe(false);
  });
});
