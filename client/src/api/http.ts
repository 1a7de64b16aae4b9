import type { ErrorBody, ErrorCode } from '@exam/shared';

/**
 * A code the client can test for: one of the server's (the union in shared/contracts/errors.ts),
 * NETWORK when nothing came back, or HTTP_<status> for an answer that carries no code (a proxy's page).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | `HTTP_${number}`;

/**
 * Whether `err` is an API error with this code. Tests go through here, so a code that is mistyped,
 * renamed or removed on the server fails the type check; the wire's code itself stays a string (the
 * list of codes is not shipped to the candidate's browser).
 */
export function hasCode(err: unknown, code: ClientErrorCode): err is ApiError {
  return err instanceof ApiError && err.code === code;
}

/** An error answer from the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Vietnamese message from the server. */
  readonly messageVi: string;
  readonly messageEn: string | undefined;
  readonly details: unknown;

  constructor(init: { status: number; code: string; message: string; messageEn?: string; details?: unknown }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messageVi = init.message;
    this.messageEn = init.messageEn;
    this.details = init.details;
  }

  /** The message in the UI language. */
  text(lang: string): string {
    return lang === 'en' && this.messageEn ? this.messageEn : this.messageVi;
  }

  /** Field-level messages: `details.issues[].message` (content checks) or validation `details[].path + message`. */
  issueMessages(): string[] {
    const d = this.details;
    if (d && typeof d === 'object' && 'issues' in d && Array.isArray(d.issues)) {
      return d.issues.flatMap((i: unknown) =>
        i && typeof i === 'object' && 'message' in i && typeof i.message === 'string' ? [i.message] : [],
      );
    }
    if (Array.isArray(d)) {
      return d.flatMap((i: unknown) => {
        if (!i || typeof i !== 'object' || !('message' in i) || typeof i.message !== 'string') return [];
        const path = 'path' in i && typeof i.path === 'string' && i.path ? `${i.path}: ` : '';
        return [`${path}${i.message}`];
      });
    }
    return [];
  }
}

export const NETWORK_ERROR = 'NETWORK' as const;

type Listener = (err: ApiError) => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the server answers 401 (session missing or expired). */
export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (!v || typeof v !== 'object' || !('error' in v)) return false;
  const e = v.error;
  return !!e && typeof e === 'object' && 'code' in e && 'message' in e;
}

function toApiError(status: number, body: unknown, fallback: string): ApiError {
  if (isErrorBody(body)) {
    return new ApiError({
      status,
      code: body.error.code,
      message: body.error.message,
      messageEn: body.error.messageEn,
      details: body.error.details,
    });
  }
  return new ApiError({ status, code: `HTTP_${status}`, message: `Lỗi máy chủ (${status})`, messageEn: fallback });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function notify(err: ApiError): ApiError {
  if (err.status === 401) for (const fn of unauthorizedListeners) fn(err);
  return err;
}

export interface RequestOptions {
  query?: Query;
  /** JSON body (objects) */
  json?: unknown;
  signal?: AbortSignal;
}

/**
 * Safe Exam Browser's JavaScript API (issue 19): where SEB cannot add its header, the page passes
 * on `SafeExamBrowser.security.configKey` (SHA-256 of this page's address + the Config Key) with
 * the address it was computed for; the server checks both.
 */
function sebHeaders(): Record<string, string> {
  const seb: unknown = Reflect.get(window, 'SafeExamBrowser');
  const security: unknown = seb && typeof seb === 'object' ? Reflect.get(seb, 'security') : undefined;
  const key: unknown = security && typeof security === 'object' ? Reflect.get(security, 'configKey') : undefined;
  return typeof key === 'string' ? { 'x-exam-seb-configkey': key, 'x-exam-seb-page': location.href.split('#')[0] ?? '' } : {};
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...sebHeaders() };
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({
      status: 0,
      code: NETWORK_ERROR,
      message: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
      messageEn: 'Cannot reach the server.',
    });
  }
  const data = parseJson(await res.text());
  if (!res.ok) throw notify(toApiError(res.status, data, res.statusText));
  return data as T;
}

export const http = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown, query?: Query) => request<T>('POST', path, { json: json ?? {}, query }),
  put: <T>(path: string, json: unknown) => request<T>('PUT', path, { json }),
  patch: <T>(path: string, json: unknown) => request<T>('PATCH', path, { json }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export interface UploadOptions {
  query?: Query;
  contentType?: string;
  /** Fraction of the body sent, 0..1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Sends a file as the raw request body (XMLHttpRequest, so upload progress can be shown).
 * Resolves with the parsed JSON answer.
 */
export function upload<T>(path: string, file: Blob, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path, opts.query));
    xhr.setRequestHeader('content-type', opts.contentType ?? 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => opts.onProgress?.(1);
    xhr.onload = () => {
      const data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(notify(toApiError(xhr.status, data, xhr.statusText)));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: NETWORK_ERROR,
          message: 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.',
          messageEn: 'Cannot reach the server.',
        }),
      );
    xhr.send(file);
  });
}
