import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the example (Amplify included) into `outDir`, ready to serve as static files. */
export async function buildWebExample(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(outDir, 'app.js'),
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWebExample(process.argv[2] ?? join(here, 'dist'));
}
