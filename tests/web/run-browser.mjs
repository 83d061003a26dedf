// Runs the real-browser tests (tests/web/browser/*.test.mjs) one file at a
// time: Debian's Chromium driven by playwright-core, against the built pages
// (LEADTIME_WEB_DIST, default web/dist) and a leadtime-server
// (LEADTIME_SERVER). Screenshots go to LEADTIME_WEB_SHOTS (/tmp/web-shots).
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.LEADTIME_WEB_DIST ?? join(here, '..', '..', 'web', 'dist');
if (!existsSync(join(dist, 'seat.html'))) {
  console.error(`run-browser: no built pages in ${dist}; run web/build.sh`);
  process.exit(2);
}
const only = process.argv.slice(2);
const dir = join(here, 'browser');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => join(dir, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env: { ...process.env, LEADTIME_WEB_DIST: dist } });
process.exitCode = r.status ?? 1;
