/** Results: scoring with key corrections, and item analysis. Pure functions, no I/O. */
export * from './itemAnalysis.js';
export * from './scoring.js';
