import '../styles.css';
import './candidate.css';
import './access/access.css';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CandidateApp } from './CandidateApp';

/**
 * The candidate front-end, started by main.tsx for every path under /thi-sinh. It is its own
 * chunk with its own tiny screen flow (no staff router, no staff strings), so a lab PC downloads
 * only what the exam needs (see client/bundle-report.ts).
 */
export function boot(root: HTMLElement): void {
  createRoot(root).render(
    <StrictMode>
      <CandidateApp />
    </StrictMode>,
  );
}
