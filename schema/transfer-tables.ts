// Transfer tables (R-TRF-5 signing links, workflow viewers): defined once for both dialects in
// schema/tables.ts; this module keeps the names importable from where they have always been.
export { transferSigningLinks, workflowViewers } from './db.js';
