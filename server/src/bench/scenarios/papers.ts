import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { runWorker } from './child.js';

/** What papersWorker.ts prints. */
const PapersResult = Type.Object({
  ms: Type.Number(),
  papers: Type.Integer(),
  regenerated: Type.Integer(),
  minOverlap: Type.Union([Type.Number(), Type.Null()]),
  maxOverlap: Type.Union([Type.Number(), Type.Null()]),
  peakRssMb: Type.Number(),
});

/** `papers --candidates N [--bank B] [--questions Q]`: N candidates × Q questions drawn from a B-question bank. */
export async function run(args: Record<string, string>): Promise<Record<string, unknown>> {
  const n = Number(args.candidates ?? 10000);
  const bank = Number(args.bank ?? 5000);
  const q = Number(args.questions ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'bench-papers-'));
  try {
    const r = await runWorker('./papersWorker.js', [dir, String(n), String(bank), String(q)], PapersResult);
    return { scenario: 'papers', candidates: n, questionsPerPaper: q, bank, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
