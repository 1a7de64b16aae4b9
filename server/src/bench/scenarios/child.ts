import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs a bench worker script next to this file and returns the JSON object on its last stdout line. */
export function runWorker<T>(script: string, args: string[]): Promise<T> {
  const worker = fileURLToPath(new URL(script, import.meta.url));
  return new Promise<T>((resolve, reject) => {
    const p = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    p.stdout.on('data', (d: Buffer) => {
      s += d.toString();
    });
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      try {
        resolve(JSON.parse(s.trim().split('\n').pop() ?? '{}') as T);
      } catch (e) {
        reject(e);
      }
    });
  });
}
