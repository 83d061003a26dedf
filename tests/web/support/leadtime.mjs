// Starts a leadtime-server for a browser test: free ports, a temporary
// database and facilitator key, the three-round test scenario. With the
// server's own web listener (--web) the pages and /ws come from it; a server
// without one is reached through the test bridge of static-server.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStaticServer } from './static-server.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const dist = process.env.LEADTIME_WEB_DIST ?? join(repo, 'web', 'dist');

export function serverBinary() {
  const bin = process.env.LEADTIME_SERVER;
  if (!bin || !existsSync(bin)) throw new Error(`set LEADTIME_SERVER to a built leadtime-server (got ${bin ?? 'nothing'})`);
  return bin;
}

export function hasWebListener(bin) {
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  return /--web\b/.test(help.stdout ?? '');
}

async function waitForFile(path, what, proc, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '') return readFileSync(path, 'utf8').trim();
    if (proc.exitCode !== null) throw new Error(`leadtime-server exited (${proc.exitCode}) before writing ${what}`);
    await sleep(50);
  }
  throw new Error(`leadtime-server wrote no ${what} within ${ms} ms`);
}

export async function startLeadtime({ extraArgs = [] } = {}) {
  const bin = serverBinary();
  const dir = mkdtempSync(join(tmpdir(), 'leadtime-web-e2e-'));
  const keyFile = join(dir, 'facilitator.key');
  const portFile = join(dir, 'port');
  const webPortFile = join(dir, 'web-port');
  const web = hasWebListener(bin);
  const args = ['--listen', '127.0.0.1:0', '--port-file', portFile, '--db', join(dir, 'games.db'), '--facilitator-key-file', keyFile, '--scenario', join(repo, 'tests/web/data/three_rounds.lua'), '--scenario-root', join(repo, 'tests/web/data'), ...extraArgs];
  if (web) args.push('--web', '127.0.0.1:0', '--web-root', dist, '--web-port-file', webPortFile);
  const log = [];
  const proc = spawn(bin, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => log.push(String(d)));
  proc.stderr.on('data', (d) => log.push(String(d)));
  const tcpPort = Number(await waitForFile(portFile, 'port file', proc));
  const key = await waitForFile(keyFile, 'facilitator key', proc);
  let url;
  let bridge = null;
  if (web) {
    url = `http://127.0.0.1:${Number(await waitForFile(webPortFile, 'web port file', proc))}`;
  } else {
    bridge = await startStaticServer({ root: dist, tcpPort });
    url = bridge.url;
  }
  return {
    url,
    tcpPort,
    key,
    web,
    log: () => log.join(''),
    async stop() {
      if (bridge) await bridge.close();
      proc.kill('SIGTERM');
      await new Promise((ok) => (proc.exitCode !== null ? ok() : proc.once('exit', ok)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
