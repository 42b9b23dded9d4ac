/*
 * The web console the local endpoint serves at / (its static files and the config that tells it
 * the API key), plugged into the endpoint's `serveGet`.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The console's static files, by URL path. */
const CONSOLE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};

const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url));

/**
 * A `serveGet` for the endpoint: the console's files, and `/console-config.json` with `config`
 * (the API key and GraphQL path the console calls with).
 */
export function consoleRoutes(config: Readonly<Record<string, unknown>>) {
  const configBody = JSON.stringify(config);
  return async (path: string, _req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (path === '/console-config.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(configBody);
      return true;
    }
    const entry = CONSOLE_FILES[path];
    if (entry === undefined) return false;
    const body = await readFile(`${CONSOLE_DIR}${entry.file}`);
    res.writeHead(200, { 'content-type': entry.type, 'cache-control': 'no-cache' });
    res.end(body);
    return true;
  };
}
