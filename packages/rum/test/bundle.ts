/** Bundles the SDK's public entry for browsers, as an app's bundler would (esbuild, minified). */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `source` (ESM importing from `@slo-scout/rum`) and returns the code and gzip size. */
export async function bundle(
  source: string,
): Promise<{ code: string; bytes: number; gzip: number }> {
  const out = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    alias: { '@slo-scout/rum': join(packageDir, 'src/index.ts') },
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  return { code, bytes: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
}
