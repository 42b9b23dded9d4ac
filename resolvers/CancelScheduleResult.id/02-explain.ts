/* Explains a refused cancel of this element's id (see lib/bulk-cancel.ts). */
export { explainRequest as request, explainResponse as response } from '../lib/bulk-cancel.js';
