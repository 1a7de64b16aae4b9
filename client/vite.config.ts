import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleReport } from './bundle-report.ts';

const API_TARGET = process.env.API_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [
    react(),
    // dist/bundle-report.json: what a candidate's browser loads; fails on staff code in it
    bundleReport({ candidateEntry: 'src/candidate/boot.tsx', targetGzipBytes: 120 * 1024 }),
  ],
  resolve: {
    alias: [
      // the time-zone helpers alone (no TypeBox runtime): the candidate's bundle formats times with them
      { find: '@exam/shared/time', replacement: fileURLToPath(new URL('../shared/src/time/zone.ts', import.meta.url)) },
      { find: '@exam/shared', replacement: fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)) },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': { target: API_TARGET, changeOrigin: false },
      '/socket.io': { target: API_TARGET, ws: true },
    },
  },
});
