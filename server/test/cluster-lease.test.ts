import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLeases, PgLeases } from '../src/cluster/lease.js';
import { findPgBin, type PgCluster, startPgCluster } from '../src/db/pg/cluster.js';

/**
 * Work that must run once across the cluster runs under PostgreSQL advisory locks (issue 17): two
 * "nodes" (two PgLeases on their own connections to one private PostgreSQL) compete for the same
 * names. Skipped only where no PostgreSQL binaries exist (`.ci/run` installs them).
 */
const bin = findPgBin();

describe.skipIf(!bin)('leases on PostgreSQL advisory locks', () => {
  let cluster: PgCluster;
  let url: string;
  let a: PgLeases;
  let b: PgLeases;

  beforeAll(async () => {
    cluster = await startPgCluster(bin ? { bin } : {});
    url = await cluster.createDatabase('leases');
    a = new PgLeases(url);
    b = new PgLeases(url);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
  });

  it('exclusive: while one node runs a name, the other skips it; afterwards it may run', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered: () => void = () => {};
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const first = a.exclusive('seal:sitting:1', async () => {
      entered();
      await gate;
      return 'sealed by A';
    });
    await inside;
    expect(await b.exclusive('seal:sitting:1', async () => 'sealed by B')).toEqual({ ran: false });
    // another name is not held
    expect(await b.exclusive('seal:sitting:2', async () => 'B sealed 2')).toEqual({ ran: true, value: 'B sealed 2' });
    release();
    expect(await first).toEqual({ ran: true, value: 'sealed by A' });
    expect(await b.exclusive('seal:sitting:1', async () => 'B now')).toEqual({ ran: true, value: 'B now' });
  });

  it('a throw inside exclusive releases the name', async () => {
    await expect(
      a.exclusive('import:bank:3', async () => {
        throw new Error('bad file');
      }),
    ).rejects.toThrow('bad file');
    expect(await b.exclusive('import:bank:3', async () => 1)).toEqual({ ran: true, value: 1 });
  });

  it('leader: one holder at a time; when the holder’s session dies, the other takes over', async () => {
    const la = a.leader('deadline-sweep');
    const lb = b.leader('deadline-sweep');
    expect(await la.tryAcquire()).toBe(true);
    expect(await lb.tryAcquire()).toBe(false);
    expect(await la.tryAcquire()).toBe(true);
    // the holder's node dies: PostgreSQL ends its session (as after kill -9 or a cut network)
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const killed = await admin.query(
      `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.classid = 17017 AND l.granted`,
    );
    await admin.end();
    expect(killed.rowCount).toBe(1);
    expect(await lb.tryAcquire()).toBe(true);
    // A finds out it is no longer the holder and cannot take it back while B holds it
    expect(await la.tryAcquire()).toBe(false);
    expect(la.held).toBe(false);
    await lb.release();
    expect(await la.tryAcquire()).toBe(true);
    await la.release();
  });
});

describe('leases on one node (SQLite): the same API in process', () => {
  it('exclusive skips a name already running; leader has one holder', async () => {
    const leases = new LocalLeases();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = leases.exclusive('sweep', async () => {
      await gate;
      return 1;
    });
    expect(await leases.exclusive('sweep', async () => 2)).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: 1 });
    const x = leases.leader('sweep');
    const y = leases.leader('sweep');
    expect(await x.tryAcquire()).toBe(true);
    expect(await y.tryAcquire()).toBe(false);
    await x.release();
    expect(await y.tryAcquire()).toBe(true);
  });
});
