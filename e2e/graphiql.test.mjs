// GraphiQL (GET /) in headless Chromium, with no network: every host name
// but localhost fails to resolve (api.mjs, OFFLINE), so a page that loaded
// anything from a CDN would stay at "Loading…". Checks that GraphiQL
// renders, runs its default query anonymously, loads nothing from
// elsewhere, breaks no rule of its Content-Security-Policy, and, after a
// sign-in that starts at the development provider's page (/dev-idp/),
// queries as the signed-in person.
//
// It starts the API as browser.test.mjs does (or uses E2E_API_URL), and its
// own Chromium with a fresh, isolated profile.
//
// Run: bash e2e/run.sh (both files), or npm test in e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, OFFLINE, startAPI } from './api.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshot = path.join(here, 'screenshot-graphiql.png');
const serverLog = process.env.E2E_SERVER_LOG || path.join(here, 'server-graphiql.log');

let API;
let api;
let tmpDir;
let browser;
let context;
// Every request any page of this context made, and what the pages reported.
const requests = [];
const problems = [];

before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wisselaar-e2e-graphiql-'));
  api = await startAPI({ tmpDir, logPath: serverLog });
  API = api.url;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, OFFLINE] });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), headers: r.headers() }));
  // A Content-Security-Policy violation is reported to the page as an
  // event; collect them before any script of the page runs.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  context.on('page', (page) => {
    page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`));
    page.on('console', (m) => {
      // The provider's pages have no icon; the browser's 404 for it is no fault.
      if (m.type() === 'error' && !m.location()?.url?.endsWith('/favicon.ico')) problems.push(`${page.url()}: ${m.text()}`);
    });
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  await api?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

// editor returns the text of GraphiQL's query or result editor (CodeMirror 5
// keeps its instance on its element).
function editor(page, which) {
  return page.evaluate((sel) => document.querySelector(`${sel} .CodeMirror`).CodeMirror.getValue(),
    which === 'query' ? '.graphiql-query-editor' : '.result-window');
}

// run runs the query in the editor and returns the parsed result.
async function run(page, expectInResult) {
  await page.click('.graphiql-execute-button');
  await page.waitForFunction((text) => {
    const cm = document.querySelector('.result-window .CodeMirror');
    return cm && cm.CodeMirror.getValue().includes(text);
  }, expectInResult, { timeout: 15_000 });
  return JSON.parse(await editor(page, 'result'));
}

test('this browser cannot reach the internet', async () => {
  const page = await context.newPage();
  await assert.rejects(page.goto('https://cdn.jsdelivr.net/npm/graphiql@3.9.0/graphiql.min.js', { timeout: 10_000 }),
    /ERR_NAME_NOT_RESOLVED/);
  await page.close();
  problems.length = 0; // the failed navigation above is not GraphiQL's
});

test('GraphiQL renders offline and runs its default query anonymously', { timeout: 60_000 }, async () => {
  const first = requests.length;
  const page = await context.newPage();
  const resp = await page.goto(`${API}/`);
  assert.equal(resp.status(), 200);
  const csp = resp.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(await page.title(), 'De Wisselaar API');

  await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 20_000 });
  assert.match(await page.textContent('.graphiql-logo'), /De Wisselaar API/);
  assert.match(await editor(page, 'query'), /municipalities\(first: 50\)/, 'the default query is shown');

  const result = await run(page, '"totalCount"');
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const names = result.data.municipalities.edges.map((e) => e.node.name);
  assert.equal(result.data.municipalities.totalCount, 13);
  assert.ok(names.includes('Mechelen') && names.includes('Leuven'), names.join(', '));
  await page.screenshot({ path: screenshot });

  // Nothing came from elsewhere: every request went to the API's origin,
  // and the queries carried the CSRF header the session cookie needs.
  const mine = requests.slice(first);
  const elsewhere = mine.filter((r) => new URL(r.url).origin !== API);
  assert.deepEqual(elsewhere.map((r) => r.url), [], 'requests that left the API');
  const posts = mine.filter((r) => r.method === 'POST' && r.url === `${API}/graphql`);
  assert.ok(posts.length >= 2, 'introspection and the query');
  for (const p of posts) assert.equal(p.headers['x-csrf'], '1', JSON.stringify(p.headers));
  assert.ok(mine.some((r) => /\/assets\/graphiql\/[0-9a-f]{12}\/graphiql\/graphiql\.min\.js$/.test(r.url)),
    'GraphiQL came from the embedded assets');
  assert.deepEqual(problems, [], 'errors or CSP violations on the page');
  await page.close();
});

test('from the development provider page to GraphiQL, signed in', { timeout: 60_000 }, async () => {
  const first = requests.length;
  const page = await context.newPage();

  // /dev-idp redirects to its page, which explains itself and lists the users.
  await page.goto(`${API}/dev-idp`);
  assert.equal(page.url(), `${API}/dev-idp/`);
  assert.match(await page.textContent('main'), /Anyone on this machine can sign in as any\s+demo user/);
  assert.equal(await page.locator('tbody tr').count(), 17);
  assert.match(await page.textContent('pre'), /client_secret=demo/);

  // Sign in to the portal: the provider's login page, pick the ministry, and
  // back to GraphiQL with a session.
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/dev-idp/login'),
    page.click('text=Sign in to the portal'),
  ]);
  await Promise.all([
    page.waitForURL(`${API}/`, { timeout: 15_000 }),
    page.click('button[name="login"][value="ministry"]'),
  ]);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
  await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
    .setValue('{ viewer { subject roles } trajectories { totalCount } }'));
  const result = await run(page, '"subject"');
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.equal(result.data.viewer.subject, 'ministry');
  assert.deepEqual(result.data.viewer.roles, ['ministry']);
  assert.ok(result.data.trajectories.totalCount > 0, 'the ministry sees trajectories');

  const elsewhere = requests.slice(first).filter((r) => new URL(r.url).origin !== API);
  assert.deepEqual(elsewhere.map((r) => r.url), [], 'requests that left the API');
  assert.deepEqual(problems, [], 'errors or CSP violations on the pages');
  await page.close();
});
