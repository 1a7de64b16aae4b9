/**
 * npm run bench -- <scenario> [--key value ...]
 * Prints progress, then as its last line one JSON object with the scenario's numbers, and writes
 * a markdown report under server/bench/results/.
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeReport } from './report.js';
import { FdLimitError } from './scenarios/serverLib.js';

/**
 * Each scenario is a module `scenarios/<name>.js` exporting `run(args)`. Helper modules of a
 * scenario (workers, servers) live in the same folder under names ending in "Worker" or "Lib".
 */
type Scenario = (args: Record<string, string>) => Promise<Record<string, unknown>>;
const SCENARIO_DIR = new URL('./scenarios/', import.meta.url);
const available = () =>
  readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.js') && !/(Worker|Lib|child)\.js$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort();

function parseArgs(argv: string[]): { scenario: string; args: Record<string, string> } {
  const [scenario = '', ...rest] = argv;
  const args: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a.startsWith('--')) {
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        args[a.slice(2)] = next;
        i++;
      } else args[a.slice(2)] = 'true';
    }
  }
  return { scenario, args };
}

const { scenario, args } = parseArgs(process.argv.slice(2));
if (!/^[a-z][a-z-]*$/.test(scenario) || !existsSync(new URL(`${scenario}.js`, SCENARIO_DIR))) {
  console.error(`Kịch bản không tồn tại: "${scenario}". Có: ${available().join(', ')}`);
  process.exit(2);
}
const { run } = (await import(new URL(`${scenario}.js`, SCENARIO_DIR).href)) as { run: Scenario };
let result: Record<string, unknown>;
try {
  result = await run(args);
} catch (e) {
  if (!(e instanceof FdLimitError)) throw e;
  // the run cannot fit under the server's open-files limit: say so, instead of counting connect errors
  console.error(`[bench] ${e.message}`);
  console.log(
    JSON.stringify({
      scenario,
      candidates: e.candidates,
      ran: false,
      refused: e.code,
      fdLimit: e.fdLimit,
      fdNeeded: e.fdNeeded,
      maxCandidates: e.maxCandidates,
      message: e.message,
    }),
  );
  process.exit(3);
}
if (args['no-report'] !== 'true') console.error(`report: ${writeReport(scenario, result)}`);
console.log(JSON.stringify(result));
