// Runs the unit tests of the pages' pure logic (tests/web/unit/*.test.ts)
// with Node's built-in test runner: each test file is bundled with esbuild
// (TypeScript in, one ES module out, the generated protocol bindings
// included) into a temporary folder, then `node --test` runs them all.
// Needs web/node_modules (npm ci in web/) and the generated bindings (web/gen.sh).
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', '..', 'web');
if (!existsSync(join(web, 'node_modules', 'esbuild'))) {
  console.error(`run-unit: ${web}/node_modules is missing; run: (cd web && npm ci)`);
  process.exit(2);
}
if (!existsSync(join(web, 'src', 'generated', 'leadtime', 'wire', 'envelope.ts'))) {
  console.error('run-unit: the protocol bindings are missing; run: web/gen.sh');
  process.exit(2);
}
const esbuild = createRequire(join(web, 'package.json'))('esbuild');
const unit = join(here, 'unit');
const only = process.argv.slice(2);
const tests = readdirSync(unit).filter((f) => f.endsWith('.test.ts') && (only.length === 0 || only.some((o) => f.includes(o))));
const out = mkdtempSync(join(tmpdir(), 'leadtime-web-unit-'));
try {
  await esbuild.build({
    entryPoints: tests.map((t) => join(unit, t)),
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    nodePaths: [join(web, 'node_modules')],
    logLevel: 'warning',
  });
  const files = readdirSync(out).filter((f) => f.endsWith('.mjs')).map((f) => join(out, f));
  const r = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
