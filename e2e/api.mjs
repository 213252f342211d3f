// What the browser tests share: the API under test (started here, or the
// one E2E_API_URL names) and how Chromium is started.

import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// No name but localhost resolves: a page that tried to load anything from
// the internet (a CDN, a font service) fails instead of silently working on
// a machine that happens to be online.
export const OFFLINE = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost, EXCLUDE 127.0.0.1';

export function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

async function waitFor(url, ms, proc, log) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) {
      throw new Error(`the server exited with ${proc.exitCode}; see ${log}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${ms} ms: ${last}`);
}

// startAPI returns the API to test: E2E_API_URL when set (a server that is
// already running, in zero-setup mode), else the server binary
// E2E_SERVER_BIN (built from the module one directory up when that is not
// set) started in zero-setup mode in tmpDir, on loopback, with its log in
// logPath and env added to its environment. stop() stops what was started.
export async function startAPI({ tmpDir, logPath, env: extra = {} }) {
  if (process.env.E2E_API_URL) {
    const url = process.env.E2E_API_URL.replace(/\/$/, '');
    await waitFor(`${url}/readyz`, 60_000);
    return { url, stop: async () => {} };
  }
  let port = Number(process.env.E2E_API_PORT || 0);
  if (!port) port = (await portFree(8080)) ? 8080 : 18080;
  if (!(await portFree(port))) throw new Error(`port ${port} is busy (set E2E_API_PORT or E2E_API_URL)`);
  const url = `http://localhost:${port}`;

  let bin = process.env.E2E_SERVER_BIN;
  if (!bin) {
    bin = path.join(tmpDir, 'wisselaar');
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: repo, stdio: 'inherit' });
  }
  const env = { ...process.env };
  // Zero-setup mode, whatever the caller's environment says.
  for (const k of ['DATABASE_URL', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_AUDIENCE',
    'OIDC_ROLES_CLAIM', 'OIDC_ROLE_MAPPING', 'AUTH_RETURN_TO_ALLOWLIST', 'DATA_DIR', 'DEMO_DATA', 'PORT',
    'CORS_ALLOWED_ORIGINS', 'DEV_IDP']) {
    delete env[k];
  }
  // Loopback, as the server itself chooses with the development provider.
  Object.assign(env, { PUBLIC_URL: url, ADDR: `127.0.0.1:${port}` }, extra);
  const runDir = path.join(tmpDir, 'run');
  fs.mkdirSync(runDir, { recursive: true });
  const logFd = fs.openSync(logPath, 'w');
  const proc = spawn(bin, [], { cwd: runDir, env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  await waitFor(`${url}/readyz`, 60_000, proc, logPath);
  return {
    url,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000);
        proc.once('exit', () => { clearTimeout(t); r(); });
      });
    },
  };
}
