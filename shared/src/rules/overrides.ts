/**
 * Exam-level overrides of a profile, and the list of what was overridden.
 *
 * An override is a deep partial of the profile. Objects merge key by key; `null` sets a value to null;
 * arrays of items with an `id` (parts, choices, choice options) or a `code` (priority categories,
 * sanctions) merge item by item, matched by that key: an unknown key appends a new item (which must be
 * complete) and `{ id, remove: true }` deletes one. Other arrays (the tie-break chain, exemptions,
 * minimum-score rules, service-time rules, ...) are replaced whole. A discriminated object whose `kind`
 * changes (a pass rule switching from percent to score) is replaced whole.
 */
import type { RegulationProfile } from './types.js';

type Keyed<U, K extends 'id' | 'code'> = { [P in keyof U]?: Override<U[P]> } & { [P in K]: string } & { remove?: boolean };

/** Deep partial with keyed-array semantics (see the module comment). */
export type Override<T> = T extends readonly (infer U)[]
  ? [U] extends [{ id: string }]
    ? Keyed<U, 'id'>[]
    : [U] extends [{ code: string }]
      ? Keyed<U, 'code'>[]
      : U[]
  : T extends object
    ? { [K in keyof T]?: Override<T[K]> }
    : T;

export type ProfileOverrides = Override<RegulationProfile>;

export class ProfileOverrideError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ProfileOverrideError';
  }
}

export interface OverrideDiff {
  /** e.g. `parts[r1_ktc].durationMin`, `priority.categories[dan_toc_thieu_so].points`, `tieBreak.chain`. */
  path: string;
  change: 'changed' | 'added' | 'removed';
  old: unknown;
  new: unknown;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/** `id` or `code`, if the array's items are keyed by one. */
function keyField(...arrays: unknown[][]): 'id' | 'code' | null {
  for (const arr of arrays) {
    for (const item of arr) {
      if (isObj(item)) {
        if (typeof item.id === 'string') return 'id';
        if (typeof item.code === 'string') return 'code';
      }
    }
  }
  return null;
}

/** Fields a new keyed item must bring, and defaults for the rest, by path pattern. */
const NEW_ITEMS: Record<string, { required: string[]; defaults: Obj }> = {
  parts: {
    required: [
      'id',
      'name',
      'subject',
      'round',
      'mode',
      'questionCount',
      'durationMin',
      'scoreScale',
      'passRule',
      'role',
      'coefficient',
    ],
    defaults: { exemptibleBy: [], droppedWhen: null, appliesToGrades: null, choice: null, source: 'Hội đồng thi quy định' },
  },
  choices: { required: ['id', 'label', 'options'], defaults: { selected: null, source: 'Hội đồng thi quy định' } },
  'choices.options': { required: ['id', 'label'], defaults: {} },
  'priority.categories': { required: ['code', 'label', 'points'], defaults: { source: 'Hội đồng thi quy định' } },
  sanctions: {
    required: ['code', 'label'],
    defaults: {
      grounds: null,
      deductionPercent: null,
      paperCancelled: null,
      barsLaterParts: null,
      cancelsResult: null,
      source: 'Hội đồng thi quy định',
    },
  },
};

function pattern(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '');
}

function newItem(item: Obj, path: string): Obj {
  const rule = NEW_ITEMS[pattern(path)];
  const { remove: _remove, ...rest } = item;
  if (!rule) return clone(rest);
  const missing = rule.required.filter((f) => !(f in rest));
  if (missing.length > 0) throw new ProfileOverrideError(path, `new item lacks ${missing.join(', ')}`);
  return { ...clone(rule.defaults), ...clone(rest) };
}

function mergeKeyed(base: unknown[], over: unknown[], key: 'id' | 'code', path: string): unknown[] {
  const out: unknown[] = [];
  const overByKey = new Map<string, Obj>();
  for (const o of over) {
    if (!isObj(o) || typeof o[key] !== 'string') throw new ProfileOverrideError(path, `every item needs a string "${key}"`);
    overByKey.set(o[key] as string, o);
  }
  const seen = new Set<string>();
  for (const b of base) {
    const k = isObj(b) && typeof b[key] === 'string' ? (b[key] as string) : null;
    const o = k === null ? undefined : overByKey.get(k);
    if (k !== null) seen.add(k);
    if (o === undefined) {
      out.push(clone(b));
      continue;
    }
    if (o.remove === true) continue;
    const { remove: _remove, ...rest } = o;
    out.push(merge(b, rest, `${path}[${k}]`));
  }
  for (const o of over) {
    if (!isObj(o)) continue;
    const k = o[key] as string;
    if (seen.has(k) || o.remove === true) continue;
    seen.add(k);
    out.push(newItem(o, `${path}[${k}]`));
  }
  return out;
}

function merge(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return clone(base);
  if (over === null) return null;
  if (Array.isArray(over)) {
    if (Array.isArray(base)) {
      const key = keyField(base, over);
      if (key !== null) return mergeKeyed(base, over, key, path);
    }
    return clone(over);
  }
  if (isObj(over)) {
    if (!isObj(base)) return clone(over);
    if ('kind' in over && 'kind' in base && over.kind !== base.kind) return clone(over);
    const out: Obj = {};
    for (const [k, v] of Object.entries(base)) out[k] = k in over ? merge(v, over[k], path ? `${path}.${k}` : k) : clone(v);
    for (const [k, v] of Object.entries(over)) if (!(k in base) && v !== undefined) out[k] = clone(v);
    return out;
  }
  return over;
}

/**
 * The effective profile of an exam: the profile with the board's overrides applied. Pure: neither
 * argument is modified. Throws ProfileOverrideError for a new part, choice, category or sanction that
 * lacks required fields. The profile id is kept.
 */
export function applyOverrides(profile: RegulationProfile, overrides: ProfileOverrides | null | undefined): RegulationProfile {
  if (!overrides) return clone(profile);
  const merged = merge(profile, overrides, '') as RegulationProfile;
  merged.id = profile.id;
  return merged;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
  }
  return false;
}

function diff(a: unknown, b: unknown, path: string, out: OverrideDiff[]): void {
  if (equal(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = keyField(a, b);
    if (key !== null) {
      const keyed = (arr: unknown[]) => {
        const m = new Map<string, unknown>();
        for (const x of arr) if (isObj(x) && typeof x[key] === 'string') m.set(x[key] as string, x);
        return m;
      };
      const ma = keyed(a);
      const mb = keyed(b);
      for (const [k, va] of ma) {
        const p = `${path}[${k}]`;
        if (mb.has(k)) diff(va, mb.get(k), p, out);
        else out.push({ path: p, change: 'removed', old: va, new: undefined });
      }
      for (const [k, vb] of mb) if (!ma.has(k)) out.push({ path: `${path}[${k}]`, change: 'added', old: undefined, new: vb });
      return;
    }
  }
  if (isObj(a) && isObj(b) && !('kind' in a && 'kind' in b && a.kind !== b.kind)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (a[k] === undefined && b[k] !== undefined) out.push({ path: p, change: 'added', old: undefined, new: b[k] });
      else if (a[k] !== undefined && b[k] === undefined) out.push({ path: p, change: 'removed', old: a[k], new: undefined });
      else diff(a[k], b[k], p, out);
    }
    return;
  }
  out.push({ path, change: 'changed', old: a, new: b });
}

/** What the exam changed relative to its profile: one entry per overridden leaf (or whole replaced array). */
export function diffFromProfile(profile: RegulationProfile, effective: RegulationProfile): OverrideDiff[] {
  const out: OverrideDiff[] = [];
  diff(profile, effective, '', out);
  return out;
}
