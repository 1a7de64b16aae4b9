import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../bench/results');

export function machine(): { cores: number; cpu: string; memGb: number; node: string } {
  const c = cpus();
  return { cores: c.length, cpu: c[0]?.model ?? 'unknown', memGb: Math.round(totalmem() / 1024 ** 3), node: process.version };
}

/** Writes server/bench/results/<scenario>-<timestamp>.md naming the machine, and returns its path. */
export function writeReport(scenario: string, result: Record<string, unknown>, notes: string[] = []): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const m = machine();
  const file = join(RESULTS_DIR, `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  const lines = [
    `# Benchmark: ${scenario}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${m.cores} cores (${m.cpu}), ${m.memGb} GB RAM, Node ${m.node}`,
    '',
    '| key | value |',
    '| --- | --- |',
    ...Object.entries(result).map(([k, v]) => `| ${k} | ${typeof v === 'object' ? JSON.stringify(v) : String(v)} |`),
    '',
    ...notes,
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return file;
}
