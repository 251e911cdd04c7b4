// Shared helpers for the browser tests: launch the system Chromium through
// playwright-core (no browser download), open pages against SWITCHBOARD_URL,
// and collect console errors.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Base URL of the running app, without a trailing slash. Throws when unset. */
export function baseUrl() {
  const url = process.env.SWITCHBOARD_URL;
  if (!url) {
    throw new Error(
      'SWITCHBOARD_URL is not set. Run scripts/browser-test.sh from the repository root, ' +
        'or start a server and run SWITCHBOARD_URL=http://127.0.0.1:PORT npm test in tests/browser.',
    );
  }
  return url.replace(/\/+$/, '');
}

export async function launch() {
  baseUrl(); // fail fast with a clear message
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * A fresh context (own storage) and page. Options go to browser.newContext
 * (e.g. { locale: 'ko-KR' }). Returns { context, page, errors } where `errors`
 * collects uncaught page errors and console errors as they happen.
 */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ baseURL: baseUrl(), ...contextOptions });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push({ kind: 'pageerror', text: String(err?.stack || err) }));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    errors.push({ kind: 'console', text: msg.text(), url: msg.location()?.url || '' });
  });
  return { context, page, errors };
}

/**
 * Console errors that indicate a bug in the UI. A failed API request is
 * reported by Chromium as "Failed to load resource" on the console; those are
 * surfaced in the UI itself (and checked separately), so they are ignored for
 * /api/ URLs only.
 */
export function unexpectedErrors(errors) {
  return errors.filter(
    (e) => !(e.kind === 'console' && /^Failed to load resource/.test(e.text) && /\/api\//.test(e.url)),
  );
}

/** Wait until the shell has rendered a page heading. */
export async function waitForShell(page) {
  await page.locator('[data-testid="nav"] a.nav-link').first().waitFor({ state: 'attached' });
  await page.locator('[data-testid="page-heading"]').waitFor();
}
