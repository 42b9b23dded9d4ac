/*
 * `npm run build` (after the workspace build): compiles the package to dist/ with
 * tsconfig.build.json, copies the files the compiled code reads beside itself (the local
 * console), and builds the construct's assets into dist/assets. dist/ mirrors the repository
 * root (dist/src, dist/infra, dist/assets), so every path a module computes from its own location
 * works the same compiled as from the sources.
 */
import { execFileSync } from 'node:child_process';
import { cp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAssets } from './build-assets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
/** Non-TypeScript files the compiled code loads relative to itself. */
const STATIC_FOLDERS = ['src/local/console'];

async function summary(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      files += 1;
      bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
    }
  }
  return { files, bytes };
}

/** Builds dist/ from scratch; returns its file count and size. */
export async function buildPackage(): Promise<{ files: number; bytes: number }> {
  await rm(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  for (const folder of STATIC_FOLDERS) {
    await cp(path.join(ROOT, folder), path.join(DIST, folder), { recursive: true });
  }
  await buildAssets(path.join(DIST, 'assets'));
  return summary(DIST);
}

const started = Date.now();
buildPackage()
  .then(({ files, bytes }) => {
    console.log(
      `Built dist/ in ${Date.now() - started} ms: ${files} files, ${Math.round(bytes / 1024)} KiB`,
    );
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
