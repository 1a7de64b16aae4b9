import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { DeliveryService } from '../src/modules/delivery/service.js';

/**
 * The deadline sweep runs every second for the whole sitting. When one sweep fails (here: the
 * database is gone), the failure is reported and the loop goes on; before, it became an unhandled
 * rejection, which ends a Node process (and failed this test).
 */
it('a failing deadline sweep is reported, never an unhandled rejection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exam-sweep-'));
  const db = openDatabase(join(dir, 'exam.db'));
  const delivery = new DeliveryService(db);
  const errors: unknown[] = [];
  db.$client.close();
  delivery.startLoop(5, (err) => errors.push(err));
  for (let i = 0; i < 400 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  expect(errors.length).toBeGreaterThanOrEqual(2);
  expect(String(errors[0])).toMatch(/database/i);
  await delivery.close();
  rmSync(dir, { recursive: true, force: true });
});
