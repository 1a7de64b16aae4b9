import { resolve } from 'node:path';

export interface AppConfig {
  dataDir: string;
  /** SQLite file; defaults to DATA_DIR/exam.db */
  dbFile: string;
  host: string;
  port: number;
  /** Directory with the built client (served at /); null to serve no client. */
  clientDir: string | null;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies: boolean;
  /** Staff session lifetime in seconds. */
  sessionTtlSec: number;
  /** Sign-in attempts per minute per IP and username. */
  loginRateLimit: number;
  logLevel: string;
  /**
   * Fastify's trustProxy: false (default: the client address is the TCP peer), true, a hop count, or
   * a comma-separated list of proxy addresses/CIDRs. Only set it when a reverse proxy is in front,
   * or every candidate could pick their own address with X-Forwarded-For.
   */
  trustProxy: boolean | number | string;
  /** Absolute staff session lifetime in seconds: sliding renewal never goes past it. */
  sessionMaxSec: number;
  /** Warn the board when free space on DATA_DIR falls below this many bytes. */
  diskWarnBytes: number;
  /** Origins besides the server's own that may send state-changing requests (comma-separated ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** Sealed papers (issue 15): downloads spread over at most this much of the wait (PREFETCH_WINDOW_S, default 600). */
  prefetchWindowMs: number;
}

/** TRUST_PROXY: unset/0/false → false; 1/true → true; a number n ≥ 2 → n hops; otherwise the address list. */
export function parseTrustProxy(v: string | undefined): boolean | number | string {
  const t = (v ?? '').trim();
  if (t === '' || t === '0' || t.toLowerCase() === 'false') return false;
  if (t === '1' || t.toLowerCase() === 'true') return true;
  if (/^[0-9]+$/.test(t)) return Number(t);
  return t;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    dataDir,
    dbFile: resolve(dataDir, 'exam.db'),
    host: env.HOST ?? '0.0.0.0',
    port: Number(env.PORT ?? 3000),
    clientDir: resolve('client/dist'),
    secureCookies: env.SECURE_COOKIES === '1',
    sessionTtlSec: Number(env.SESSION_TTL_SEC ?? 1800),
    loginRateLimit: Number(env.LOGIN_RATE_LIMIT ?? 10),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    sessionMaxSec: Number(env.SESSION_MAX_SEC ?? 12 * 3600),
    diskWarnBytes: Number(env.DISK_WARN_MB ?? 1024) * 1024 * 1024,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    prefetchWindowMs: Math.max(0, Number(env.PREFETCH_WINDOW_S ?? 600)) * 1000,
    ...overrides,
  };
}
