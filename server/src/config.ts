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
    ...overrides,
  };
}
