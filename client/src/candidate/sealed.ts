import type { CandidateQuestionDto, PaperKeyDto, PrefetchPlanDto } from '@exam/shared';
import { gcm } from '@noble/ciphers/aes.js';
import { http } from '../api/http';
import { useSession } from './stores/session';

/**
 * The sealed paper (issue 15): while the candidate waits, this PC downloads its own paper,
 * encrypted, at the time the server gives (spread over the waiting period, again later when the
 * server says it is busy) and keeps it in memory and IndexedDB, so a reload does not download it
 * again. At the opening the key comes over the socket and the paper opens here, at once.
 * Lab PCs reach the server over plain http, where browsers withhold WebCrypto: the cipher is
 * @noble/ciphers' AES-256-GCM. Format (server/src/modules/delivery/sealed.ts): 1 byte format (1) ‖
 * 12-byte nonce ‖ ciphertext ‖ 16-byte tag.
 */

interface Held {
  version: number;
  bytes: Uint8Array;
}

/** partId → the sealed paper held, for the candidate signed in (`owner`) */
const held = new Map<number, Held>();
/** partId → the paper opened with its key, until the start takes it */
const opened = new Map<number, { version: number; questions: CandidateQuestionDto[] }>();
let owner = '';
let planning = false;

// ---------- IndexedDB: one store, key "number:partId" ----------

const DB = 'exam-sealed';
const STORE = 'papers';

function idb(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch {
      resolve(null); // private mode or disabled: memory only
    }
  });
}

async function idbDo<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const db = await idb();
  if (!db) return undefined;
  return new Promise((resolve) => {
    try {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(undefined);
    } catch {
      resolve(undefined);
    } finally {
      db.close();
    }
  });
}

function isHeld(v: unknown): v is Held {
  return (
    !!v &&
    typeof v === 'object' &&
    'version' in v &&
    typeof v.version === 'number' &&
    'bytes' in v &&
    v.bytes instanceof Uint8Array
  );
}

async function stored(partId: number): Promise<Held | null> {
  const v = await idbDo('readonly', (s) => s.get(`${owner}:${partId}`));
  return isHeld(v) ? v : null;
}

// ---------- downloading while waiting ----------

const sleep = (ms: number) => new Promise((r) => window.setTimeout(r, ms));

/** One sealed paper: waits and asks again while the server answers "busy" (503, retry after). */
async function download(partId: number): Promise<Held | null> {
  for (let i = 0; i < 50; i++) {
    let res: Response;
    try {
      res = await fetch(`/api/candidate/parts/${partId}/sealed`, { credentials: 'same-origin' });
    } catch {
      await sleep(3_000 + Math.random() * 2_000);
      continue;
    }
    if (res.ok) {
      return { version: Number(res.headers.get('x-paper-version')), bytes: new Uint8Array(await res.arrayBuffer()) };
    }
    if (res.status !== 503) return null; // not for this candidate (any more): the start will bring the paper
    const body = (await res.json().catch(() => null)) as { error?: { details?: { retryAfterMs?: number } } } | null;
    await sleep(body?.error?.details?.retryAfterMs ?? 2_000);
  }
  return null;
}

/** The candidate signed in on this PC owns what is held; another one starts from nothing. */
function syncOwner(): boolean {
  const me = useSession.getState().me;
  if (!me) return false;
  if (owner !== me.candidate.number) {
    held.clear();
    opened.clear();
    owner = me.candidate.number;
  }
  return true;
}

/** Downloads what the plan lists and this PC does not hold yet (in memory or IndexedDB). */
async function prefetch(): Promise<void> {
  const me = useSession.getState().me;
  if (planning || !me || !me.rulesAcknowledged || !me.sitting || me.sitting.opened) return;
  planning = true;
  try {
    syncOwner();
    const plan = await http.get<PrefetchPlanDto>('/api/candidate/prefetch');
    for (const item of plan.items) {
      const have = held.get(item.partId) ?? (await stored(item.partId));
      if (have && have.version === item.version) {
        held.set(item.partId, have);
        continue;
      }
      await sleep(Math.max(0, item.fetchAt - plan.serverNow));
      const got = await download(item.partId);
      if (!got) continue;
      held.set(item.partId, got);
      await idbDo('readwrite', (s) => s.put(got, `${owner}:${item.partId}`));
    }
  } catch {
    // nothing held: the start brings the paper (the cold path)
  } finally {
    planning = false;
  }
}

let unsubscribe: (() => void) | null = null;

/** While signed in: prefetch whenever the session says the candidate waits for an unopened sitting. */
export function startPrefetch(): void {
  if (unsubscribe) return;
  unsubscribe = useSession.subscribe((s) => {
    if (s.me?.rulesAcknowledged && s.me.sitting && !s.me.sitting.opened) void prefetch();
  });
  void prefetch();
}

export function stopPrefetch(): void {
  unsubscribe?.();
  unsubscribe = null;
}

// ---------- opening ----------

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Opens the held paper of a part with its key; null when this PC holds none for that version, or it does not open. */
export async function openSealed(key: PaperKeyDto): Promise<CandidateQuestionDto[] | null> {
  if (!syncOwner()) return null;
  const ready = opened.get(key.partId);
  if (ready && ready.version === key.version) {
    opened.delete(key.partId);
    return ready.questions;
  }
  const h = held.get(key.partId) ?? (await stored(key.partId));
  if (!h || h.version !== key.version || h.bytes[0] !== 1) return null;
  try {
    const plain = gcm(fromBase64(key.key), h.bytes.subarray(1, 13)).decrypt(h.bytes.subarray(13));
    const questions = JSON.parse(new TextDecoder().decode(plain)) as CandidateQuestionDto[];
    held.delete(key.partId);
    void idbDo('readwrite', (s) => s.delete(`${owner}:${key.partId}`));
    return questions;
  } catch {
    return null; // tampered or another rendering: the start brings the paper instead
  }
}

/** The key came over the socket: the paper opens now and waits for the start (false: none held). */
export async function unlock(key: PaperKeyDto): Promise<boolean> {
  const questions = await openSealed(key);
  if (questions) opened.set(key.partId, { version: key.version, questions });
  return !!questions;
}

/** Whether this PC holds the paper of a part, sealed or opened (then the start asks only for its key). */
export async function holdsSealed(partId: number): Promise<boolean> {
  if (!syncOwner()) return false;
  return opened.has(partId) || !!(held.get(partId) ?? (await stored(partId)));
}
