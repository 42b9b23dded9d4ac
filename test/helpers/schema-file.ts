import { fileURLToPath } from 'node:url';

/** The product's schema.graphql, which tests serve with the local engine. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
