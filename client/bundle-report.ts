import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Writes dist/bundle-report.json after `vite build`: the JavaScript a candidate's browser loads for
 * the whole exam flow (the entry, the chunks it imports, the candidate chunk and everything it
 * imports, statically or lazily), with sizes raw and gzipped. The build fails if a staff module
 * (board, proctor, staff router or strings) or a heavy shared runtime ends up in those chunks.
 */

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
  moduleIds: string[];
}
interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}

/** Modules that must never reach a lab PC, with why. */
const FORBIDDEN: [RegExp, string][] = [
  [/\/client\/src\/board\//, 'board front-end'],
  [/\/client\/src\/proctor\//, 'invigilator front-end'],
  [/\/client\/src\/auth\//, 'staff sign-in'],
  [/\/client\/src\/(routes|staff)\.tsx$/, 'staff router'],
  [/\/client\/src\/i18n\/(vi|en|index)\.ts$/, 'staff strings'],
  [/\/client\/src\/(stores\/auth|api\/(auth|banks|exams|users|system))\.ts$/, 'staff API'],
  [/node_modules\/react-router/, 'staff router runtime'],
  [/node_modules\/@sinclair\/typebox/, 'TypeBox runtime (import only types from @exam/shared)'],
  [
    /\/shared\/src\/(?!util\/|time\/)/,
    'shared runtime (import only types from @exam/shared; util/ and time/ are small and allowed)',
  ],
];

export interface BundleReportOptions {
  /** the module that starts the candidate app */
  candidateEntry: string;
  /** gzip budget in bytes */
  targetGzipBytes: number;
}

const gz = (code: string | Uint8Array) => gzipSync(code).length;

export function bundleReport(opts: BundleReportOptions): Plugin {
  let outDir = 'dist';
  let root = process.cwd();
  return {
    name: 'exam-bundle-report',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      const files = Object.values(bundle) as unknown as (ChunkLike | AssetLike)[];
      const chunks = new Map<string, ChunkLike>();
      for (const f of files) if (f.type === 'chunk') chunks.set(f.fileName, f);
      const entry = [...chunks.values()].find((c) => c.isEntry);
      const candidateFile = resolve(root, opts.candidateEntry);
      const candidate = [...chunks.values()].find((c) => c.facadeModuleId === candidateFile);
      if (!entry || !candidate) {
        this.error(`bundle report: entry or candidate chunk not found (${opts.candidateEntry})`);
        return;
      }

      // what a candidate loads: the entry and its static imports (not its other lazy front-ends),
      // then the candidate chunk with all its static and lazy imports
      const roles = new Map<string, 'entry' | 'shared' | 'candidate'>();
      const visit = (name: string, role: 'shared' | 'candidate', lazyToo: boolean) => {
        if (roles.has(name)) return;
        const c = chunks.get(name);
        if (!c) return;
        roles.set(name, role);
        for (const i of c.imports) visit(i, 'shared', lazyToo);
        if (lazyToo) for (const i of c.dynamicImports) visit(i, 'candidate', true);
      };
      roles.set(entry.fileName, 'entry');
      for (const i of entry.imports) visit(i, 'shared', false);
      visit(candidate.fileName, 'candidate', true);

      const counted = [...roles.entries()].map(([fileName, role]) => {
        const c = chunks.get(fileName) as ChunkLike;
        return { file: fileName, role, bytes: Buffer.byteLength(c.code), gzipBytes: gz(c.code), modules: c.moduleIds.length };
      });
      counted.sort((a, b) => b.gzipBytes - a.gzipBytes);
      const candidateJsGzipBytes = counted.reduce((n, c) => n + c.gzipBytes, 0);
      const candidateJsBytes = counted.reduce((n, c) => n + c.bytes, 0);

      const forbidden: { file: string; module: string; why: string }[] = [];
      for (const { file } of counted) {
        for (const id of (chunks.get(file) as ChunkLike).moduleIds) {
          const norm = id.replace(/\\/g, '/');
          const hit = FORBIDDEN.find(([re]) => re.test(norm));
          if (hit) forbidden.push({ file, module: norm.replace(`${resolve(root, '..')}/`, ''), why: hit[1] });
        }
      }

      // the stylesheets the candidate's chunks bring (for information; not counted as JS)
      const css = files
        .filter((f): f is AssetLike => f.type === 'asset' && f.fileName.endsWith('.css'))
        .map((f) => ({ file: f.fileName, bytes: Buffer.byteLength(f.source), gzipBytes: gz(f.source) }));

      const notCounted = [...chunks.keys()].filter((f) => !roles.has(f));
      const report = {
        generatedAt: new Date().toISOString(),
        gzip: 'zlib default level, per file',
        candidateJsGzipBytes,
        candidateJsBytes,
        targetGzipBytes: opts.targetGzipBytes,
        withinTarget: candidateJsGzipBytes <= opts.targetGzipBytes,
        chunks: counted,
        forbiddenModules: forbidden,
        notCountedChunks: notCounted,
        css,
      };
      this.emitFile({ type: 'asset', fileName: 'bundle-report.json', source: `${JSON.stringify(report, null, 2)}\n` });

      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const line = `candidate JS: ${kb(candidateJsGzipBytes)} gzip (${kb(candidateJsBytes)} raw) in ${counted.length} chunks; target ${kb(opts.targetGzipBytes)}`;
      if (forbidden.length) {
        const shown = forbidden.slice(0, 20).map((f) => `  ${f.module} (${f.why}) in ${f.file}`);
        if (forbidden.length > 20) shown.push(`  … and ${forbidden.length - 20} more`);
        const list = shown.join('\n');
        this.error(`bundle report: staff or heavy modules in the candidate's chunks:\n${list}`);
      }
      if (candidateJsGzipBytes > opts.targetGzipBytes) this.warn(`${line} — OVER TARGET`);
      else console.log(`\n[bundle-report] ${line} — ok (${join(outDir, 'bundle-report.json')})`);
    },
  };
}
