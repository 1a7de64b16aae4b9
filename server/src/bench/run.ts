/**
 * npm run bench -- <scenario> [--key value ...]
 * Prints progress, then as its last line one JSON object with the scenario's numbers, and writes
 * a markdown report under server/bench/results/.
 */
import { writeReport } from './report.js';
import { runImport } from './scenarios/import.js';
import { runPapers } from './scenarios/papers.js';

type Scenario = (args: Record<string, string>) => Promise<Record<string, unknown>>;
const SCENARIOS: Record<string, Scenario> = { import: runImport, papers: runPapers };

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
const run = SCENARIOS[scenario];
if (!run) {
  console.error(`Kịch bản không tồn tại: "${scenario}". Có: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}
const result = await run(args);
if (args['no-report'] !== 'true') console.error(`report: ${writeReport(scenario, result)}`);
console.log(JSON.stringify(result));
