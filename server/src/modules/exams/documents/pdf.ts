/** Re-export shim: the PDF helpers moved to modules/documents (issue 16); new code imports '../documents/pdf.js'. */
export * from '../../documents/pdf.js';
