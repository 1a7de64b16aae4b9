/** Re-export shim: the XLSX room list moved to modules/documents (issue 16); new code imports '../documents/room-list-xlsx.js'. */
export * from '../../documents/room-list-xlsx.js';
