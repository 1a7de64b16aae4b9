import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Static, TSchema } from '@sinclair/typebox';
import { jsonChecker } from './jsonLib.js';

/** Runs a bench worker script next to this file and returns the last line of its stdout. */
function lastLine(script: string, args: string[]): Promise<string> {
  const worker = fileURLToPath(new URL(script, import.meta.url));
  return new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    p.stdout.on('data', (d: Buffer) => {
      s += d.toString();
    });
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      resolve(s.trim().split('\n').pop() ?? '{}');
    });
  });
}

/**
 * Runs a bench worker script next to this file and returns the JSON object on its last stdout
 * line, checked against `schema` (the worker is another process: what it prints is checked once,
 * here).
 */
export function runWorker<S extends TSchema>(script: string, args: string[], schema: S): Promise<Static<S>>;
export async function runWorker(script: string, args: string[], schema: TSchema): Promise<unknown> {
  const line = await lastLine(script, args);
  return jsonChecker(`${script} result`, schema)(line);
}
