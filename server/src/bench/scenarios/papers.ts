import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorker } from './child.js';

/** `papers --candidates N [--bank B] [--questions Q]`: N candidates × Q questions drawn from a B-question bank. */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const n = Number(args.candidates ?? 10000);
  const bank = Number(args.bank ?? 5000);
  const q = Number(args.questions ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'bench-papers-'));
  try {
    const r = await runWorker<Record<string, unknown>>('./papersWorker.js', [dir, String(n), String(bank), String(q)]);
    return { scenario: 'papers', candidates: n, questionsPerPaper: q, bank, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
