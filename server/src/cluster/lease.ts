import pg from 'pg';

const { Pool: PgPool, Client: PgClient } = pg;

/**
 * Work that must run once across the cluster (issue 17: the deadline sweep, paper generation jobs,
 * imports, the seal) runs under a named lock held in PostgreSQL, not under a home-made election:
 *
 * - `exclusive(name, fn)`: fn runs only if no other node runs the same name right now; otherwise it
 *   is skipped (`{ ran: false }`). For work that every node may try and one must do at a time.
 * - `leader(name)`: this node holds the name for as long as it lives (a session-level advisory lock
 *   on a connection of its own). If the node dies, PostgreSQL ends its session and releases the
 *   lock, and another node's next `tryAcquire()` takes it over. For loops such as the deadline sweep.
 *
 * The lock key is (LOCK_SPACE, hashtext(name)): our locks cannot collide with another
 * application's single-key advisory locks on the same database.
 *
 * On SQLite there is one node, so the same API is a process-local lock (`LocalLeases`).
 */
export const LOCK_SPACE = 17_017;

export interface Leadership {
  /** tries to become (or stay) the holder; true while this node holds the name */
  tryAcquire(): Promise<boolean>;
  readonly held: boolean;
  /** gives the name up (and closes its connection) */
  release(): Promise<void>;
}

export interface Leases {
  close?(): Promise<void>;
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  leader(name: string): Leadership;
}

function gotLock(rows: unknown[]): boolean {
  const row = rows[0];
  return typeof row === 'object' && row !== null && 'locked' in row && row.locked === true;
}

export class PgLeases implements Leases {
  private readonly pool: pg.Pool;

  /** `url`: the cluster's database; locks use connections of their own, never the app's pool */
  constructor(private readonly url: string) {
    this.pool = new PgPool({ connectionString: url, max: 4 });
    // an idle connection that breaks is replaced at the next connect(), never a process 'error'
    this.pool.on('error', () => {});
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const client = await this.pool.connect();
    let locked = false;
    try {
      const r = await client.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LOCK_SPACE, name]);
      locked = gotLock(r.rows);
      if (!locked) return { ran: false };
      return { ran: true, value: await fn() };
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]).catch(() => {});
      client.release();
    }
  }

  leader(name: string): Leadership {
    const url = this.url;
    let client: pg.Client | null = null;
    let held = false;
    const forget = (c: pg.Client) => {
      if (client === c) {
        client = null;
        held = false;
      }
      c.end().catch(() => {});
    };
    return {
      get held() {
        return held;
      },
      async tryAcquire() {
        if (held && client) {
          // still ours? a session that ended took the lock with it
          try {
            await client.query('SELECT 1');
            return true;
          } catch {
            forget(client);
          }
        }
        const c = new PgClient({ connectionString: url });
        c.on('error', () => forget(c));
        try {
          await c.connect();
          const r = await c.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LOCK_SPACE, name]);
          if (gotLock(r.rows)) {
            client = c;
            held = true;
            return true;
          }
        } catch {
          // the database is unreachable: not the holder
        }
        forget(c);
        return false;
      },
      async release() {
        const c = client;
        if (!c) return;
        await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]).catch(() => {});
        forget(c);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** One node (SQLite): the same API, in process. */
export class LocalLeases implements Leases {
  private readonly running = new Set<string>();
  private readonly holders = new Set<string>();

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.running.has(name)) return { ran: false };
    this.running.add(name);
    try {
      return { ran: true, value: await fn() };
    } finally {
      this.running.delete(name);
    }
  }

  leader(name: string): Leadership {
    const holders = this.holders;
    let held = false;
    return {
      get held() {
        return held;
      },
      async tryAcquire() {
        if (held) return true;
        if (holders.has(name)) return false;
        holders.add(name);
        held = true;
        return true;
      },
      async release() {
        if (held) holders.delete(name);
        held = false;
      },
    };
  }
}
