// Browser check of the portal sign-in (docs/auth.md) in headless Chromium.
//
// It starts, unless told otherwise:
//   - the API (the server binary E2E_SERVER_BIN, built here from the module
//     one directory up when that is not set) in a fresh temporary directory,
//     zero-setup mode (embedded SQLite, demo data, development provider),
//     on loopback, with CORS_ALLOWED_ORIGINS=http://localhost:5173
//     (api.mjs);
//   - a static server for spa/ on port 5173 (the allowed origin
//     http://localhost:5173) and one on port 5174 (http://127.0.0.1:5174 and
//     http://localhost:5174, both NOT allowed);
//   - Chromium (/usr/bin/chromium, or E2E_CHROMIUM) with a fresh profile,
//     unable to resolve any host name but localhost.
// E2E_API_URL=http://localhost:8080 uses an API that is already running
// instead; it must be in zero-setup mode with CORS_ALLOWED_ORIGINS including
// http://localhost:5173 (and not http://localhost:5174 or
// http://127.0.0.1:5174).
//
// Run: bash e2e/run.sh (installs what is missing), or npm test in e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, OFFLINE, startAPI } from './api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const spaDir = path.join(here, 'spa');
const screenshot = path.join(here, 'screenshot.png');
const screenshotForeign = path.join(here, 'screenshot-foreign.png');
// The API's log: written here when the test starts the API, read from
// E2E_SERVER_LOG when it runs already (run.sh sets both).
const serverLog = process.env.E2E_SERVER_LOG || path.join(here, 'server.log');

const ALLOWED_PORT = 5173;
const FOREIGN_PORT = 5174;
const ALLOWED = `http://localhost:${ALLOWED_PORT}`;
// Another site (a different host name): the browser does not even send the
// SameSite=Lax cookie there.
const FOREIGN_SITE = `http://127.0.0.1:${FOREIGN_PORT}`;
// The same site but another origin (ports do not count for sites): the
// browser sends the cookie, so only CORS and the server's CSRF checks stand
// in the way. This is the origin a CSRF attack would come from.
const FOREIGN_ORIGIN = `http://localhost:${FOREIGN_PORT}`;

let API; // e.g. http://localhost:8080
let api;
let tmpDir;
let context;
const staticServers = [];

// ---------------------------------------------------------------- helpers

// startStatic serves spa/ on port, on the IPv4 and (where there is one) the
// IPv6 loopback, so that both http://localhost:port and
// http://127.0.0.1:port reach it.
async function startStatic(port) {
  const handler = (req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    if (p !== '/' && p !== '/index.html') {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(fs.readFileSync(path.join(spaDir, 'index.html')));
  };
  for (const host of ['127.0.0.1', '::1']) {
    const srv = createServer(handler);
    try {
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, resolve);
      });
      staticServers.push(srv);
    } catch (err) {
      if (host === '127.0.0.1') throw new Error(`cannot serve the SPA on ${host}:${port}: ${err.message}`);
    }
  }
}

// cdpLog records what the page's own code cannot see: the status of every
// response the browser got (preflights and opaque answers included) and why
// a request failed (CORS errors), from the DevTools protocol.
async function cdpLog(page) {
  const cdp = await context.newCDPSession(page);
  const reqs = new Map();
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    // ExtraInfo may come first: merge, do not replace.
    reqs.set(e.requestId, { ...reqs.get(e.requestId), url: e.request.url, method: e.request.method, type: e.type });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = reqs.get(e.requestId) ?? {};
    Object.assign(r, { url: e.response.url, status: e.response.status, headers: e.response.headers, type: e.type });
    reqs.set(e.requestId, r);
  });
  // The headers really sent, cookies included (requestWillBeSent lacks them).
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const r = reqs.get(e.requestId) ?? {};
    const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.sentCookie = /(^|;\s*)wisselaar_session=/.test(h.cookie ?? '');
    reqs.set(e.requestId, r);
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = reqs.get(e.requestId) ?? {};
    Object.assign(r, { failed: e.errorText, cors: e.corsErrorStatus?.corsError, type: e.type });
    reqs.set(e.requestId, r);
  });
  return { entries: () => [...reqs.values()], detach: () => cdp.detach() };
}

// ---------------------------------------------------------------- setup

before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisselaar-e2e-'));

  api = await startAPI({ tmpDir, logPath: serverLog, env: { CORS_ALLOWED_ORIGINS: ALLOWED } });
  API = api.url;

  await startStatic(ALLOWED_PORT);
  await startStatic(FOREIGN_PORT);

  context = await chromium.launchPersistentContext(path.join(tmpDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, OFFLINE],
    viewport: { width: 1100, height: 1100 },
  });
});

after(async () => {
  await context?.close().catch(() => {});
  for (const s of staticServers) s.close();
  await api?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function openSPA(page, origin) {
  await page.goto(`${origin}/?api=${encodeURIComponent(API)}`);
  await page.waitForSelector('body[data-done="true"]', { timeout: 15_000 });
  return page.evaluate(() => window.e2eResults);
}

// ---------------------------------------------------------------- tests
// The tests share one browser profile and run in order: the first signs in.

test('allowed origin: sign in as mechelen, then GraphQL with the cookie', { timeout: 60_000 }, async () => {
  const page = await context.newPage();

  // Before sign-in: anonymous, and the session endpoint says so.
  let r = await openSPA(page, ALLOWED);
  assert.equal(r.session.status, 200, JSON.stringify(r.session));
  assert.equal(r.session.body.authenticated, false);
  assert.equal(r.withCsrf.body?.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(r.withCsrf));

  // Sign in: the link navigates to /auth/login, the development provider's
  // page lists the demo users, we pick mechelen, and we come back.
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(`${API}/dev-idp/`)),
    page.click('#signin'),
  ]);
  await page.waitForSelector('button[name="login"][value="mechelen"]');
  await Promise.all([
    page.waitForURL((u) => u.origin === ALLOWED, { timeout: 15_000 }),
    page.click('button[name="login"][value="mechelen"]'),
  ]);
  assert.equal(new URL(page.url()).searchParams.get('api'), API, 'returned to the page it left (returnTo)');
  await page.waitForSelector('body[data-done="true"]', { timeout: 15_000 });
  r = await page.evaluate(() => window.e2eResults);

  // The cookie as docs/auth.md describes it.
  const cookies = await context.cookies(API);
  const session = cookies.find((c) => c.name === 'wisselaar_session');
  assert.ok(session, `no wisselaar_session cookie for ${API}: ${JSON.stringify(cookies)}`);
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(session.secure, false, 'not Secure on local plain http');
  assert.equal(session.path, '/');
  assert.equal(session.domain, 'localhost');
  assert.equal(await page.evaluate(() => document.cookie.includes('wisselaar_session')), false, 'HttpOnly: scripts cannot read it');

  // GET /auth/session
  assert.equal(r.session.status, 200, JSON.stringify(r.session));
  assert.equal(r.session.body.authenticated, true, JSON.stringify(r.session));
  assert.equal(r.session.body.subject, 'mechelen');
  assert.deepEqual(r.session.body.roles, ['municipality:12025']);
  assert.deepEqual(r.session.body.municipalities.map((m) => m.name), ['Mechelen']);

  // POST /graphql with X-CSRF: 1 -> Mechelen's 5 trajectories.
  assert.equal(r.withCsrf.status, 200, JSON.stringify(r.withCsrf));
  assert.equal(r.withCsrf.body.errors, undefined, JSON.stringify(r.withCsrf.body.errors));
  assert.equal(r.withCsrf.body.data.viewer.subject, 'mechelen');
  const conn = r.withCsrf.body.data.trajectories;
  assert.equal(conn.totalCount, 5, JSON.stringify(conn));
  assert.equal(conn.edges.length, 5);
  for (const { node } of conn.edges) {
    assert.ok([node.giving.name, node.receiving.name].includes('Mechelen'), JSON.stringify(node));
  }

  // The same without X-CSRF -> 403 FORBIDDEN (readable: the origin is allowed).
  assert.equal(r.withoutCsrf.status, 403, JSON.stringify(r.withoutCsrf));
  assert.equal(r.withoutCsrf.body.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(r.withoutCsrf));
  assert.equal(r.withoutCsrf.body.data ?? null, null);

  // What the page shows.
  assert.match(await page.textContent('#session-verdict'), /signed in as mechelen/);
  assert.match(await page.textContent('#with-csrf-verdict'), /5 trajectories for mechelen/);
  assert.equal(await page.locator('#trajectories li').count(), 5);
  assert.match(await page.textContent('#without-csrf-verdict'), /refused: HTTP 403, FORBIDDEN/);
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
});

// foreignChecks opens the SPA on a not-allowed origin in the signed-in
// browser and checks that it can read nothing from the API.
async function foreignChecks(origin, shot) {
  const signedIn = (await context.cookies(API)).some((c) => c.name === 'wisselaar_session');
  assert.ok(signedIn, 'no session cookie: these checks need the sign-in test to have run first');
  const page = await context.newPage();
  const net = await cdpLog(page);
  const r = await openSPA(page, origin);
  if (shot) await page.screenshot({ path: shot, fullPage: true });

  // The page itself: every call fails in the browser (no CORS grant).
  for (const k of ['session', 'withCsrf', 'withoutCsrf']) {
    assert.ok(r[k].error, `${origin}: ${k} should be blocked, got ${JSON.stringify(r[k])}`);
    assert.match(r[k].error, /TypeError/);
  }

  // The network behind it: the GraphQL calls (application/json, with or
  // without X-CSRF) need a preflight, which the server refuses with 403 and
  // no Access-Control-Allow-Origin, so the POSTs are never sent.
  const entries = net.entries();
  const dump = JSON.stringify(entries);
  const sessionReq = entries.find((e) => e.url === `${API}/auth/session`);
  assert.equal(sessionReq?.cors, 'MissingAllowOriginHeader', `GET /auth/session: ${dump}`);
  const preflights = entries.filter((e) => e.method === 'OPTIONS' && e.url === `${API}/graphql`);
  const posts = entries.filter((e) => e.method === 'POST' && e.url === `${API}/graphql`);
  assert.ok(preflights.length >= 1, `no preflight for /graphql in the DevTools log: ${dump}`);
  for (const p of preflights) {
    assert.equal(p.status, 403, `preflight from ${origin}: ${JSON.stringify(p)}`);
    const h = Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(h['access-control-allow-origin'], undefined, JSON.stringify(p));
  }
  assert.equal(posts.length, 2, `expected 2 blocked POSTs in the DevTools log: ${dump}`);
  for (const p of posts) {
    assert.match(p.cors ?? '', /^Preflight/, `POST /graphql from ${origin} should fail its preflight: ${JSON.stringify(p)}`);
    assert.equal(p.status, undefined, `POST /graphql from ${origin} reached the server: ${JSON.stringify(p)}`);
  }

  // A request that needs no preflight (text/plain, no custom header,
  // mode no-cors: what a hostile page or form can send). The browser sends
  // it with the cookie when the origin is same-site; the server must refuse
  // it. The page cannot read the answer, but DevTools sees its status.
  const before = net.entries().length;
  await page.evaluate(async (api) => {
    await fetch(`${api}/graphql`, {
      method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ query: '{ trajectories(first: 20) { totalCount } }' }),
    });
  }, API);
  await page.waitForTimeout(300);
  const simple = net.entries().slice(before).find((e) => e.method === 'POST' && e.url === `${API}/graphql`);
  if (process.env.E2E_DEBUG) console.error(JSON.stringify(net.entries(), null, 1));
  assert.ok(simple, 'no-cors POST not seen');
  await net.detach();
  await page.close();
  return { r, preflights, posts, simple };
}

test('another site (127.0.0.1:5174, not allowed): blocked', { timeout: 30_000 }, async () => {
  const { simple } = await foreignChecks(FOREIGN_SITE, screenshotForeign);
  // Cross-site: SameSite=Lax keeps the cookie at home, so whatever the
  // server answers, it answers an anonymous request.
  assert.equal(simple.sentCookie, false, `the cookie went cross-site: ${JSON.stringify(simple)}`);
});

test('another origin on the same site (localhost:5174, not allowed): blocked, and refused by the server', { timeout: 30_000 }, async () => {
  const { simple } = await foreignChecks(FOREIGN_ORIGIN);
  // Same site: the cookie goes along, so the server must refuse (403).
  assert.equal(simple.sentCookie, true, `expected the browser to send the cookie: ${JSON.stringify(simple)}`);
  assert.equal(simple.status, 403, `no-cors POST with the cookie from ${FOREIGN_ORIGIN}: ${JSON.stringify(simple)}`);
});

test('the server log says why it refused', { skip: !!process.env.E2E_API_URL && !process.env.E2E_SERVER_LOG }, () => {
  const log = fs.readFileSync(serverLog, 'utf8');
  const lines = (re) => log.split('\n').filter((l) => re.test(l));
  assert.ok(lines(/msg="cookie request refused".*reason="no X-CSRF: 1 header".*viewer\.sub=mechelen.*origin=http:\/\/localhost:5173/).length >= 1,
    'no log line for the POST without X-CSRF from the allowed origin');
  for (const o of [FOREIGN_SITE, FOREIGN_ORIGIN]) {
    assert.ok(lines(new RegExp(`msg="CORS preflight refused".*origin=${o.replace(/[.]/g, '\\.')} method=POST`)).length >= 1,
      `no log line for the refused preflight from ${o}`);
  }
  assert.ok(lines(/msg="cookie request refused".*viewer\.sub=mechelen.*origin=http:\/\/localhost:5174/).length >= 1,
    'no log line for the refused no-cors POST with the cookie from localhost:5174');
});
