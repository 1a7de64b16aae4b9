#!/usr/bin/env node
// npm run lint:arch: measures and enforces the house rules of docs/ARCHITECTURE.md.
//
//   assertions  `x.get(...) as T`, `x.all(...) as T` and `JSON.parse(...) as T` in server code:
//               data from outside the program must be checked at the boundary, not asserted
//   noResponse  routes without a response schema (Fastify's serializer drops what the contract
//               does not name only where there is one)
//   bigFiles    server files over 600 lines, declarative tables (schema, i18n) excepted
//   cycles      import cycles between server, shared and client modules (madge; type-only imports
//               do not count, they vanish at run time)
//
// Every target is 0. Until a count reaches it, the count may not grow: scripts/arch-baseline.json
// holds the highest count allowed, and lowering it is how progress is locked in (`--update` writes
// the current counts when they are lower). Prints one JSON line, exits 1 on a breach.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import madge from 'madge';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = join(root, 'scripts', 'arch-baseline.json');
const MAX_LINES = 600;
// declarative files: tables, not logic
const DECLARATIVE = new Set(['server/src/db/schema.ts', 'server/src/db/pg/schema.ts']);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const QUERY_METHODS = new Set(['get', 'all']);

/** `as` assertions whose operand is a query result or JSON.parse: the things the standards forbid. */
function assertionsIn(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const hits = [];
  const visit = (node) => {
    if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.getText(sf) === 'const')) {
      let inner = node.expression;
      while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
      if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression)) {
        const name = inner.expression.name.text;
        const target = inner.expression.expression.getText(sf);
        const kind = target === 'JSON' && name === 'parse' ? 'JSON.parse' : QUERY_METHODS.has(name) ? `.${name}()` : null;
        if (kind) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          hits.push(`${relative(root, file)}:${line + 1} ${kind}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return hits;
}

async function routesWithoutResponseSchema() {
  const dir = mkdtempSync(join(tmpdir(), 'lint-arch-'));
  try {
    const { loadConfig } = await import(pathToFileURL(join(root, 'server/dist/config.js')).href);
    const { buildApp } = await import(pathToFileURL(join(root, 'server/dist/app.js')).href);
    const config = loadConfig({ DATA_DIR: dir }, { clientDir: null });
    const { app } = await buildApp(config, { loops: false });
    await app.ready();
    const spec = app.swagger();
    const missing = [];
    let total = 0;
    for (const [path, ops] of Object.entries(spec.paths ?? {})) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        total += 1;
        const responses = Object.values(op.responses ?? {});
        if (!responses.some((r) => r && typeof r === 'object' && 'content' in r)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    await app.close();
    return { total, missing };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cycles() {
  const res = await madge([join(root, 'server/src'), join(root, 'shared/src'), join(root, 'client/src')], {
    fileExtensions: ['ts', 'tsx'],
    tsConfig: join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
  });
  return res.circular().map((c) => c.join(' > '));
}

const serverFiles = walk(join(root, 'server/src'));
const assertions = serverFiles.flatMap(assertionsIn);
const bigFiles = serverFiles
  .map((f) => ({ f: relative(root, f), n: readFileSync(f, 'utf8').split('\n').length }))
  .filter(({ f, n }) => n > MAX_LINES && !DECLARATIVE.has(f) && !/i18n/.test(f))
  .map(({ f, n }) => `${f} (${n})`);
const routes = await routesWithoutResponseSchema();
const cyc = await cycles();

const counts = {
  assertions: assertions.length,
  noResponse: routes.missing.length,
  bigFiles: bigFiles.length,
  cycles: cyc.length,
};
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
const breaches = Object.entries(counts).filter(([k, v]) => v > (typeof baseline[k] === 'number' ? baseline[k] : 0));

const verbose = process.argv.includes('--verbose');
if (verbose || breaches.length > 0) {
  const show = (title, list) => list.length && console.error(`${title}:\n  ${list.join('\n  ')}`);
  show('assertions on query results / JSON.parse', assertions);
  show('routes without a response schema', routes.missing);
  show(`server files over ${MAX_LINES} lines`, bigFiles);
  show('import cycles', cyc);
}
if (process.argv.includes('--update')) {
  const next = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.min(v, baseline[k] ?? v)]));
  writeFileSync(baselineFile, `${JSON.stringify(next, null, 2)}\n`);
}
console.log(
  JSON.stringify({
    scenario: 'lint:arch',
    ...counts,
    routes: routes.total,
    target: { assertions: 0, noResponse: 0, bigFiles: 0, cycles: 0 },
    allowed: baseline,
    ok: breaches.length === 0,
  }),
);
if (breaches.length > 0) {
  console.error(
    `lint:arch: ${breaches.map(([k, v]) => `${k} ${v} > ${baseline[k] ?? 0}`).join(', ')} (target 0; see docs/ARCHITECTURE.md)`,
  );
  process.exit(1);
}
