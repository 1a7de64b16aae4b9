/** Re-export shim: the PDF/XLSX documents moved to modules/documents (issue 16); new code imports '../documents/index.js'. */
export * from '../../documents/index.js';
