// Browser tests for the UI shell (static/): layout, navigation, language
// switch (UI-2), not-built placeholders, keyboard and tablet layout (UI-6),
// api.js error handling and field errors (UI-4, UI-5).
//
// The shell needs a session: the pages are opened as the owner of a tenant
// created for this file (through the operator API); signed out, every route
// shows the login page.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext } from './lib/accounts.mjs';
import { baseUrl, launch, openPage, unexpectedErrors, waitForShell } from './lib/browser.mjs';

let browser;
let owner; // { login, password, name }
let ownerState; // storage state (session cookie) of a signed-in owner

before(async () => {
  browser = await launch();
  const op = await ApiClient.signIn(operator().login, operator().password);
  ({ owner } = await createTenant(op));
  const { context } = await openPage(browser);
  try {
    await signInContext(context, owner.login, owner.password);
    ownerState = await context.storageState();
  } finally {
    await context.close();
  }
});

after(async () => {
  await browser?.close();
});

/**
 * Run `fn` with a fresh page, signed in as the tenant owner unless
 * `signedOut: true` is passed; always closes the context.
 */
async function withPage({ signedOut = false, ...contextOptions }, fn) {
  const opts = signedOut ? contextOptions : { storageState: ownerState, ...contextOptions };
  const { context, page, errors } = await openPage(browser, opts);
  try {
    return await fn(page, errors);
  } finally {
    await context.close();
  }
}

const nav = (page) => page.locator('[data-testid="nav"]');
const heading = (page) => page.locator('[data-testid="page-heading"]');

describe('shell', () => {
  test('(a0) signed out: the login page, no nav, "Not signed in"', async () => {
    await withPage({ locale: 'en-US', signedOut: true }, async (page, errors) => {
      const res = await page.goto('/');
      assert.equal(res.status(), 200);
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      assert.match(page.url(), /#\/login$/);
      assert.equal(await nav(page).locator('a.nav-link').count(), 0);
      assert.equal(await nav(page).isVisible(), false);
      assert.equal(await page.locator('[data-testid="user-area"]').textContent().then((s) => s.trim()), 'Not signed in');
      assert.ok(await page.getByTestId('login-form').isVisible());
      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(a) loads with nav, dashboard heading, footer, and no console errors', async () => {
    await withPage({ locale: 'en-US' }, async (page, errors) => {
      const res = await page.goto('/');
      assert.equal(res.status(), 200);
      await waitForShell(page);

      assert.match(await page.locator('.brand-name').textContent(), /Switchboard/);
      assert.equal(await heading(page).textContent(), 'Dashboard');
      assert.match(page.url(), /#\/dashboard$/, 'empty hash is redirected to #/dashboard');
      assert.equal(await page.title(), 'Dashboard · Switchboard');

      // Five groups; the owner sees 20 of the 21 pages (Tenants is the operator's);
      // the dashboard link is the current page.
      assert.equal(await nav(page).locator('.nav-group').count(), 5);
      assert.equal(await nav(page).locator('a.nav-link').count(), 20);
      assert.equal(await nav(page).locator('a[href="#/admin/tenants"]').count(), 0);
      assert.equal(await nav(page).locator('a[aria-current="page"]').getAttribute('href'), '#/dashboard');
      for (const label of ['Monitoring', 'Statistics', 'Service lookup', 'Service settings', 'Admin']) {
        assert.ok(await nav(page).getByText(label, { exact: true }).isVisible(), `group ${label}`);
      }

      assert.equal(await page.getByTestId('user-name').textContent(), owner.name);
      assert.equal(await page.getByTestId('user-role').textContent(), 'Owner');
      assert.ok(await page.getByTestId('sign-out').isVisible());
      assert.equal(await page.locator('[data-testid="lang-switch"] button').count(), 2);

      // The footer settles on "API: ok" (these tests run against the real app).
      const health = page.locator('[data-testid="api-health"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="api-health"]')?.dataset.state !== 'checking');
      assert.equal(await health.textContent(), 'API: ok');

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(b) Korean locale: Korean nav; the switch changes to English and survives reload', async () => {
    await withPage({ locale: 'ko-KR' }, async (page, errors) => {
      await page.goto('/');
      await waitForShell(page);

      assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
      assert.ok(await nav(page).getByText('통합대시보드', { exact: true }).isVisible());
      assert.equal(await heading(page).textContent(), '통합대시보드');
      for (const label of ['테넌트 수발신/응대율', '큐별 호처리', '수발신이력', '콜백 처리이력', 'ARS서비스', '접근관리', '관리자 계정']) {
        assert.ok(await nav(page).getByText(label, { exact: true }).isVisible(), label);
      }
      assert.equal(await page.getByTestId('lang-ko').getAttribute('aria-pressed'), 'true');

      await page.getByTestId('lang-en').click();
      await nav(page).getByText('Dashboard', { exact: true }).waitFor();
      assert.equal(await nav(page).getByText('통합대시보드').count(), 0);
      assert.equal(await heading(page).textContent(), 'Dashboard');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.getByTestId('lang-ko').getAttribute('aria-pressed'), 'false');

      await page.reload();
      await waitForShell(page);
      assert.equal(await heading(page).textContent(), 'Dashboard');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.ok(await nav(page).getByText('Dashboard', { exact: true }).isVisible());

      // And back to Korean, also without a reload.
      await page.getByTestId('lang-ko').click();
      await nav(page).getByText('통합대시보드', { exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'ko');

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(c) English locale: the UI is English', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto('/#/settings/contract');
      await waitForShell(page);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await heading(page).textContent(), 'Contract');
      assert.ok(await nav(page).getByText('Dashboard', { exact: true }).isVisible());
      assert.ok(await nav(page).getByText('Call history', { exact: true }).isVisible());
      const navText = await nav(page).textContent();
      assert.doesNotMatch(navText, /[\uAC00-\uD7A3]/, 'no Hangul in the English nav');
      assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
    });
  });

  test('(d) every page is built now, and an unknown route gets a not-found page', async () => {
    await withPage({ locale: 'en-US' }, async (page, errors) => {
      await page.goto('/');
      await waitForShell(page);

      await nav(page).getByRole('link', { name: 'Call handling per queue' }).click();
      await page.waitForURL(/#\/stats\/queues/);
      await heading(page).filter({ hasText: 'Call handling per queue' }).waitFor();
      assert.equal(await page.getByTestId('not-built').count(), 0);

      // Unknown routes get a not-found page, not a blank screen.
      await page.goto('/#/no/such/page');
      await page.getByTestId('not-found').waitFor();

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(e) api.js turns a 404 into an ApiError with status and code', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto('/');
      await waitForShell(page);
      const result = await page.evaluate(async () => {
        const { api, ApiError } = await import('/js/api.js');
        try {
          await api('GET', '/api/dashboard/does-not-exist');
          return { thrown: false };
        } catch (e) {
          return {
            thrown: true,
            isApiError: e instanceof ApiError,
            name: e.name,
            status: e.status,
            code: e.code,
            message: e.message,
            fields: e.fields,
          };
        }
      });
      assert.equal(result.thrown, true);
      assert.equal(result.isApiError, true);
      assert.equal(result.name, 'ApiError');
      assert.equal(result.status, 404);
      // Either the server's JSON code (e.g. "not_found") or the non-JSON fallback "http_404".
      assert.equal(typeof result.code, 'string');
      assert.match(result.code, /^[a-z][a-z0-9_.-]*$/);
      assert.equal(typeof result.message, 'string');
      assert.ok(result.message.length > 0);
      assert.equal(typeof result.fields, 'object');
    });
  });
});

describe('api.js', () => {
  test('sends X-CSRF-Token on non-GET only, and parses the JSON error body with fields', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      const seen = [];
      await page.route('**/api/__browser_test__/**', async (route) => {
        const req = route.request();
        seen.push({ method: req.method(), headers: req.headers(), body: req.postData() });
        if (req.method() === 'GET') {
          await route.fulfill({ status: 200, contentType: 'application/json', body: '{"hello":"world"}' });
        } else {
          await route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'validation_failed',
                message: 'Some fields are invalid.',
                fields: {
                  login_id: { code: 'too_long', message: 'Use at most 32 characters.', params: { max: '32' } },
                  unknown_field: { code: 'code_the_ui_does_not_know', message: 'Not in the form.' },
                },
              },
            }),
          });
        }
      });
      await page.goto('/');
      await waitForShell(page);

      const result = await page.evaluate(async () => {
        const { api, setCsrfToken } = await import('/js/api.js');
        setCsrfToken('tok-123');
        const ok = await api('GET', '/api/__browser_test__/echo');
        try {
          await api('POST', '/api/__browser_test__/echo', { login_id: 'a' });
          return { ok, thrown: false };
        } catch (e) {
          return { ok, thrown: true, status: e.status, code: e.code, message: e.message, fields: e.fields };
        } finally {
          setCsrfToken(null);
        }
      });

      assert.deepEqual(result.ok, { hello: 'world' });
      assert.equal(result.thrown, true);
      assert.equal(result.status, 422);
      assert.equal(result.code, 'validation_failed');
      // The UI's own text for each code (with its params); the server's
      // message only where the UI has no text for the code.
      assert.equal(result.message, 'Please correct the errors below.');
      assert.deepEqual(result.fields, { login_id: 'Use at most 32 characters.', unknown_field: 'Not in the form.' });

      assert.equal(seen.length, 2);
      assert.equal(seen[0].method, 'GET');
      assert.equal(seen[0].headers['x-csrf-token'], undefined);
      assert.equal(seen[1].method, 'POST');
      assert.equal(seen[1].headers['x-csrf-token'], 'tok-123');
      assert.match(seen[1].headers['content-type'], /^application\/json/);
      assert.deepEqual(JSON.parse(seen[1].body), { login_id: 'a' });
    });
  });

  test('showFieldErrors puts messages next to inputs as text (UI-4, UI-5)', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto('/');
      await waitForShell(page);
      const result = await page.evaluate(async () => {
        const { ApiError } = await import('/js/api.js');
        const { showFieldErrors, clearFieldErrors } = await import('/js/form-errors.js');
        const form = document.createElement('form');
        const field = document.createElement('div');
        field.className = 'field';
        const input = document.createElement('input');
        input.name = 'login_id';
        field.append(input);
        const other = document.createElement('input');
        other.name = 'name';
        form.append(field, other);
        document.querySelector('main').append(form);

        const evil = '<img src=x onerror="window.__xss = 1">';
        const err = new ApiError(422, 'validation_failed', 'Fix these.', { login_id: evil, ghost: 'No such input.' });
        const matched = showFieldErrors(form, err);
        await new Promise((r) => setTimeout(r, 50));
        const msg = field.querySelector('[role="alert"]');
        const out = {
          matched,
          msgText: msg?.textContent,
          imgCount: form.querySelectorAll('img').length,
          xss: window.__xss === 1,
          invalid: input.getAttribute('aria-invalid'),
          describedBy: input.getAttribute('aria-describedby') === msg?.id,
          otherInvalid: other.hasAttribute('aria-invalid'),
          summary: form.querySelector('.form-error')?.textContent,
          summaryRole: form.querySelector('.form-error')?.getAttribute('role'),
          focused: document.activeElement === input,
        };
        clearFieldErrors(form);
        out.afterClear = form.querySelectorAll('[role="alert"]').length;
        out.invalidAfterClear = input.hasAttribute('aria-invalid');
        form.remove();
        return out;
      });
      assert.equal(result.matched, 1);
      assert.equal(result.msgText, '<img src=x onerror="window.__xss = 1">');
      assert.equal(result.imgCount, 0);
      assert.equal(result.xss, false);
      assert.equal(result.invalid, 'true');
      assert.equal(result.describedBy, true);
      assert.equal(result.otherInvalid, false);
      assert.match(result.summary, /Fix these\./);
      assert.match(result.summary, /ghost: No such input\./);
      assert.equal(result.summaryRole, 'alert');
      assert.equal(result.focused, true);
      assert.equal(result.afterClear, 0);
      assert.equal(result.invalidAfterClear, false);
    });
  });
});

describe('health footer', () => {
  // These tests run against the real app (the dev server or SWITCHBOARD_URL),
  // so the footer must say "API: ok"; the error case is produced on purpose.
  test('shows "API: ok" when GET /api/dashboard/health answers', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto('/');
      await waitForShell(page);
      const health = page.locator('[data-testid="api-health"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="api-health"]')?.dataset.state !== 'checking');
      assert.equal(await health.getAttribute('data-state'), 'ok');
      assert.equal(await health.textContent(), 'API: ok');
    });
  });

  test('shows the error when the health check fails', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.route('**/api/dashboard/health', (route) => route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ status: 'degraded' }),
      }));
      await page.goto('/');
      await waitForShell(page);
      const health = page.locator('[data-testid="api-health"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="api-health"]')?.dataset.state !== 'checking');
      assert.equal(await health.getAttribute('data-state'), 'error');
      assert.equal(await health.textContent(), 'API: degraded');
    });
  });
});

describe('keyboard and tablet layout (UI-6)', () => {
  test('nav links work from the keyboard and focus moves to the page heading', async () => {
    await withPage({ locale: 'en-US' }, async (page) => {
      await page.goto('/');
      await waitForShell(page);

      // The first Tab stop is the skip link; activating it focuses the page heading.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'page-heading');
      assert.match(page.url(), /#\/dashboard$/, 'the skip link does not change the route');

      await nav(page).getByRole('link', { name: 'Work history' }).focus();
      await page.keyboard.press('Enter');
      await heading(page).filter({ hasText: 'Work history' }).waitFor();
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'page-heading');

      // Language switch buttons are real buttons reachable by keyboard.
      await page.getByTestId('lang-ko').focus();
      await page.keyboard.press('Enter');
      await heading(page).filter({ hasText: '작업이력' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'lang-ko');
    });
  });

  test('under 900px the nav collapses behind a menu button', async () => {
    await withPage({ locale: 'en-US', viewport: { width: 768, height: 1024 } }, async (page, errors) => {
      await page.goto('/');
      await waitForShell(page);
      const toggle = page.getByTestId('nav-toggle');
      assert.ok(await toggle.isVisible());
      assert.equal(await nav(page).isVisible(), false);
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.ok(await nav(page).isVisible());

      await nav(page).getByRole('link', { name: 'Agents', exact: true }).click();
      await heading(page).filter({ hasText: 'Agents' }).waitFor();
      assert.equal(await nav(page).isVisible(), false, 'nav closes after navigating');

      // Escape closes an open nav and returns focus to the toggle.
      await toggle.click();
      assert.ok(await nav(page).isVisible());
      await page.keyboard.press('Escape');
      assert.equal(await nav(page).isVisible(), false);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'nav-toggle');

      // No horizontal scrolling at tablet width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('at desktop width the nav is always shown and the menu button is hidden', async () => {
    await withPage({ locale: 'en-US', viewport: { width: 1280, height: 800 } }, async (page) => {
      await page.goto('/');
      await waitForShell(page);
      assert.ok(await nav(page).isVisible());
      assert.equal(await page.getByTestId('nav-toggle').isVisible(), false);
    });
  });
});
