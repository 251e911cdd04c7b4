// One AbortSignal per page visit (app.js, api.js): leaving a page cancels the
// reads it still waits for, and a cancelled call shows the user nothing — no
// error, no trip to the login page.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext } from './lib/accounts.mjs';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;
let owner;

before(async () => {
  browser = await launch();
  const op = await ApiClient.signIn(operator().login, operator().password);
  ({ owner } = await createTenant(op));
});

after(async () => {
  await browser?.close();
});

const TYPES_API = '/api/settings/consultation-types';

test('leaving a page while its data is loading cancels the request; the next page shows no error and the user stays signed in', async () => {
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    // Hold the consultation-types list: the page waits for it.
    let held;
    const intercepted = new Promise((resolve) => {
      page.route(`**${TYPES_API}`, (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        held = route;
        resolve();
      });
    });
    await page.goto('/#/settings/consultation-types');
    await intercepted;
    const request = held.request();
    const outcome = Promise.race([
      page.waitForEvent('requestfailed', { predicate: (r) => r === request, timeout: 0 }).then((r) => ({ failed: r.failure()?.errorText })),
      page.waitForEvent('requestfinished', { predicate: (r) => r === request, timeout: 0 }).then(() => ({ finished: true })),
    ]);

    // The user moves on to 작업이력 before the list came.
    await page.getByTestId('nav-history-work').click();
    await page.locator('[data-testid="page-heading"]', { hasText: '작업이력' }).waitFor();
    await page.getByTestId('work-status').filter({ hasText: /\S/ }).waitFor();

    // The held answer is a 401 now: had the request not been cancelled, the
    // user would be sent to the login page.
    await held.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"Sign in."}}' }).catch(() => {});
    const result = await outcome;
    assert.match(result.failed || '', /ERR_ABORTED/, `the request was cancelled: ${JSON.stringify(result)}`);

    assert.match(page.url(), /#\/history\/work$/);
    assert.equal(await page.getByTestId('user-name').isVisible(), true, 'still signed in');
    assert.equal(await page.locator('main [role="alert"]').count(), 0, 'no error on screen');
    assert.deepEqual(unexpectedErrors(errors), [], 'no uncaught error from the cancelled call');
  } finally {
    await context.close();
  }
});

test('api(): an aborted call rejects with code "aborted" and never runs the 401 handler; a timeout is "timeout"', async () => {
  const { context, page } = await openPage(browser, { locale: 'en-US' });
  try {
    const held = [];
    let arrived;
    const heldArrived = new Promise((r) => (arrived = r));
    await page.route('**/api/__browser_test__/held/**', (route) => {
      held.push(route);
      if (route.request().url().endsWith('/held/aborted')) arrived();
    });
    await page.route('**/api/__browser_test__/unauthorized', (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"Sign in."}}' }),
    );
    await page.goto('/');
    await page.locator('[data-testid="page-heading"]').waitFor();

    await page.evaluate(async () => {
      const { api, isAborted, onUnauthorized } = await import('/js/api.js');
      const w = { unauthorized: 0, results: {} };
      window.__t = w;
      onUnauthorized(() => {
        w.unauthorized += 1;
      });
      const outcome = (p) =>
        p.then(
          () => ({ resolved: true }),
          (e) => ({ name: e.name, status: e.status, code: e.code, aborted: isAborted(e) }),
        );
      w.controller = new AbortController();
      w.pending = outcome(api('GET', '/api/__browser_test__/held/aborted', undefined, { signal: w.controller.signal }));
      w.timeout = outcome(api('GET', '/api/__browser_test__/held/timeout', undefined, { signal: AbortSignal.timeout(50) }));
      w.control = outcome(api('GET', '/api/__browser_test__/unauthorized'));
    });
    await heldArrived; // the request is out and waiting for an answer
    const result = await page.evaluate(async () => {
      const w = window.__t;
      w.controller.abort();
      return { aborted: await w.pending, timeout: await w.timeout, control: await w.control };
    });
    // Answer the held requests with 401s: too late, they were cancelled.
    for (const r of held) await r.fulfill({ status: 401, contentType: 'application/json', body: '{"error":{"code":"unauthorized","message":"x"}}' }).catch(() => {});
    const unauthorized = await page.evaluate(() => window.__t.unauthorized);

    assert.deepEqual(result.aborted, { name: 'ApiError', status: 0, code: 'aborted', aborted: true });
    assert.deepEqual(result.timeout, { name: 'ApiError', status: 0, code: 'timeout', aborted: false });
    assert.deepEqual(result.control, { name: 'ApiError', status: 401, code: 'unauthorized', aborted: false });
    assert.equal(unauthorized, 1, 'only the call that was answered 401 ran the handler');
  } finally {
    await context.close();
  }
});
