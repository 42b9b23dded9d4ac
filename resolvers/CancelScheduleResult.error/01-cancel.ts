/* The conditional cancel of this element's id (see lib/bulk-cancel.ts). */
export { cancelRequest as request, cancelResponse as response } from '../lib/bulk-cancel.js';
