// The harness of Cầu Nối's browser tests: it builds and starts the real
// server with the demo data on a free port, launches Debian's Chromium, and
// gives each test a phone-sized browser context and helpers that wait only
// as long as they must. Every *.test.js file calls startSuite() once.
//
// Environment:
//   CHROMIUM    the browser to drive (default /usr/bin/chromium); no tool
//               downloads a browser of its own.
//   CAUNOI_BIN  a built caunoi binary; without it the suite builds one with
//               `go build ./cmd/caunoi` from the repository root.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '..');
export const resultsDir = path.join(import.meta.dirname, 'test-results');

export const PASSWORD = 'caunoi-demo-2025';
export const VIEWPORT = { width: 360, height: 740 };

// Bounded waits: nothing here may hang the run.
export const BUILD_TIMEOUT = 240_000;
export const START_TIMEOUT = 60_000;
export const ACTION_TIMEOUT = 10_000;
export const NAV_TIMEOUT = 15_000;
export const TEST_TIMEOUT = 60_000;

let workDir;
/** The running server: { proc, url, log() }, once the suite has started. */
export let server;
/** The browser, once the suite has started. */
export let browser;

// ---------------------------------------------------------------- setup

/**
 * startSuite registers the hooks that build and start Cầu Nối with the demo
 * data and launch Chromium before the file's tests, and stop both after.
 * Call it once at the top of each test file.
 */
export function startSuite() {
before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'caunoi-e2e-'));
  await mkdir(resultsDir, { recursive: true });

  let bin = process.env.CAUNOI_BIN && path.resolve(process.env.CAUNOI_BIN);
  if (!bin) {
    bin = path.join(workDir, 'caunoi');
    await promisify(execFile)('go', ['build', '-o', bin, './cmd/caunoi'], {
      cwd: repoRoot, timeout: BUILD_TIMEOUT, killSignal: 'SIGKILL', maxBuffer: 16 << 20,
    });
  }
  server = await startServer(bin, path.join(workDir, 'caunoi.db'));

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}, { timeout: BUILD_TIMEOUT + START_TIMEOUT + 60_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await stopServer(server?.proc);
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, { timeout: 30_000 });
}

// startServer runs `caunoi serve --demo` on a free port of 127.0.0.1 and
// resolves when it prints the address it listens on.
export function startServer(bin, dbFile) {
  const proc = spawn(bin, ['serve', '--demo', '--addr', '127.0.0.1:0', '--db', `sqlite:${dbFile}`], {
    cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A crashed test run must not leave the server behind.
  const reap = () => proc.kill('SIGKILL');
  process.once('exit', reap);
  proc.once('exit', () => process.removeListener('exit', reap));

  let out = '';
  let err = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (s) => { err = (err + s).slice(-1_000_000); });
  proc.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${why}\n--- stdout ---\n${out}\n--- stderr ---\n${err.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`server did not listen within ${START_TIMEOUT} ms`), START_TIMEOUT);
    proc.once('error', (e) => fail(`cannot start ${bin}: ${e.message}`));
    proc.once('exit', (code, sig) => fail(`server exited early (code ${code}, signal ${sig})`));
    proc.stdout.on('data', (s) => {
      out += s;
      const m = out.match(/is listening on (https?:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        proc.once('exit', () => process.removeListener('exit', reap));
        resolve({ proc, url: m[1].replace(/\/$/, ''), log: () => err });
      }
    });
  });
}

export async function stopServer(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

// ---------------------------------------------------------------- helpers

// newContext opens a fresh, cookie-less phone-sized browser context. The
// browser asks for English on purpose: Cầu Nối must be Vietnamese by
// default whatever the phone's language. Service workers are blocked
// unless options say otherwise ({ serviceWorkers: 'allow' } for the
// offline tests); options override any setting of the context.
export async function newContext(options = {}) {
  const ctx = await browser.newContext({
    baseURL: server.url,
    viewport: VIEWPORT,
    screen: VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    serviceWorkers: 'block',
    ...options,
  });
  ctx.setDefaultTimeout(ACTION_TIMEOUT);
  ctx.setDefaultNavigationTimeout(NAV_TIMEOUT);
  // Report CSP violations even where Chromium would not print them.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
    });
  });
  return ctx;
}

// watch collects what went wrong on a page: console errors (CSP violations
// among them), uncaught exceptions and failed sub-requests.
export function watch(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error on ${pathOf(page.url())}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${pathOf(page.url())}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The tests leave pages quickly; the icon still loading is then aborted.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${pathOf(r.url())}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) {
      problems.push(`sub-request ${r.request().method()} ${pathOf(r.url())} answered ${r.status()}`);
    }
  });
  return problems;
}

export function pathOf(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

// login signs in through the form and answers the response to the POST;
// the page has then loaded wherever the answer led.
export async function login(page, user, password = PASSWORD) {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(password);
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && pathOf(r.url()) === '/login'),
    clickAndWait(page, page.locator('button.primary')),
  ]);
  return post;
}

// clickAndWait clicks something that navigates and answers the final
// response, after any redirects, once the new document has loaded.
export async function clickAndWait(page, locator) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
      !(r.status() >= 300 && r.status() < 400)),
    page.waitForEvent('load'), // the new document's, not the old one's
    locator.click(),
  ]);
  return resp;
}

// checkLayout asserts the page is Vietnamese and fits a 360 px screen.
export async function checkLayout(page, what) {
  const lang = await page.locator('html').getAttribute('lang');
  assert.equal(lang, 'vi', `${what}: <html lang> is ${lang}`);
  const { scrollWidth, culprits } = await page.evaluate((limit) => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      return s;
    };
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      // A box too wide, or text sticking out of its box (a long word).
      const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 &&
        getComputedStyle(el).overflowX === 'visible' && r.left + el.scrollWidth > limit;
      if (r.right > limit || r.left < -1 || spills) {
        // Nothing that lives inside a horizontal scroller.
        let inside = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inside = true; break; }
        }
        if (!inside) wide.push(el);
      }
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      // The innermost offenders say best what to fix.
      culprits: wide.filter((el) => !wide.some((w) => w !== el && el.contains(w))).slice(0, 5).map((el) => `${describe(el)} (right ${Math.round(el.getBoundingClientRect().left + el.scrollWidth)}px): ${el.textContent.trim().slice(0, 60)}`),
    };
  }, VIEWPORT.width + 1);
  assert.ok(scrollWidth <= VIEWPORT.width + 1,
    `${what}: page is ${scrollWidth}px wide at ${VIEWPORT.width}px; too wide: ${culprits.join(' | ') || '?'}`);
}

export async function navLabels(page) {
  return (await page.locator('nav.menu a').allTextContents()).map((s) => s.trim());
}
