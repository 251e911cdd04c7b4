// Browser tests for sign-in, roles and the admin pages (SPEC section 2 and
// HIST-5): AUTH-2, AUTH-3, ACC-1, AUD-1, HIST-5, UI-4, UI-5.
//
// The flows build on each other and run in order: (b) creates a tenant and
// its owner through the operator's UI, the owner adds a viewer; (c)-(e) use
// them. Login IDs are unique per run.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient, PASSWORD, createTenant, operator, signInContext, uniqueLogin } from './lib/accounts.mjs';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;
let op; // operator API client

before(async () => {
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
});

async function withPage(contextOptions, fn) {
  const { context, page, errors } = await openPage(browser, { locale: 'en-US', ...contextOptions });
  try {
    return await fn(page, errors, context);
  } finally {
    await context.close();
  }
}

const heading = (page) => page.locator('[data-testid="page-heading"]');
const nav = (page) => page.locator('[data-testid="nav"]');

/** Sign in through the login form (the page must show it). */
async function loginWithForm(page, login, password) {
  await page.getByTestId('login-id').fill(login);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The signed-in user's CSRF token, read from /api/auth/me inside the page. */
const csrfFromPage = (page) =>
  page.evaluate(async () => {
    const r = await fetch('/api/auth/me', { headers: { Accept: 'application/json' } });
    return (await r.json()).csrf_token;
  });

// Shared between the flows.
const flow = {
  tenantName: `Flow Co ${Date.now()}`,
  ownerLogin: uniqueLogin('own'),
  ownerName: 'Owner <b>Kim</b>', // markup in user text must stay text (UI-5)
  viewerLogin: uniqueLogin('view'),
  viewerName: 'Viewer Lee',
};

describe('sign-in and roles', () => {
  test('(a) a wrong password shows the server message; the right one signs in and shows the name (AUTH-3)', async () => {
    const { owner } = await createTenant(op, { ownerName: 'Park Signin' });
    await withPage({}, async (page, errors) => {
      // Signed out, a deep link shows the login page and remembers the page.
      await page.goto('/#/history/work');
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      assert.match(page.url(), /#\/login\?next=%2Fhistory%2Fwork$/);

      await loginWithForm(page, owner.login, 'wrong-password-1');
      const alert = page.locator('[data-testid="login-error"] [role="alert"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'invalid_credentials');
      assert.ok((await alert.textContent()).trim().length > 0, 'the server message is shown');
      assert.match(page.url(), /#\/login/, 'still on the login page');
      assert.equal(await page.getByTestId('user-name').count(), 0);

      await page.getByTestId('login-password').fill(owner.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/#\/history\/work$/);
      await heading(page).filter({ hasText: 'Work history' }).waitFor();
      assert.equal(await page.getByTestId('user-name').textContent(), 'Park Signin');
      assert.equal(await page.getByTestId('user-role').textContent(), 'Owner');

      // A reload keeps the session (cookie + /api/auth/me).
      await page.reload();
      await heading(page).filter({ hasText: 'Work history' }).waitFor();
      assert.equal(await page.getByTestId('user-name').textContent(), 'Park Signin');

      // Sign out: back to the login page, and the session is gone on the server too.
      await page.getByTestId('sign-out').click();
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      assert.equal(await page.getByTestId('user-name').count(), 0);
      const meStatus = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
      assert.equal(meStatus, 401);
      await page.goto('/#/dashboard');
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(b) the operator creates a tenant with an owner; the owner creates a viewer (AUTH-1, AUTH-2)', async () => {
    await withPage({}, async (page, errors) => {
      await page.goto('/');
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      await loginWithForm(page, operator().login, operator().password);

      // The operator starts on Tenants and sees only Tenants and Work history.
      await page.waitForURL(/#\/admin\/tenants$/);
      await heading(page).filter({ hasText: 'Tenants' }).waitFor();
      assert.equal(await page.getByTestId('user-role').textContent(), 'Platform operator');
      const links = await nav(page).locator('a.nav-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')).sort());
      assert.deepEqual(links, ['#/admin/numbers', '#/admin/tenants', '#/history/work']);

      const form = page.getByTestId('tenant-form');
      assert.equal(await form.locator('input[name="time_zone"]').inputValue(), 'Asia/Seoul', 'time zone defaults to Asia/Seoul');
      await form.locator('input[name="name"]').fill(flow.tenantName);
      await form.locator('input[name="business_number"]').fill('220-81-12345');
      await form.locator('input[name="representative"]').fill('Choi Rep');
      await form.locator('input[name="phone"]').fill('02-555-0100');
      await form.locator('input[name="email"]').fill('admin@flow.example');
      await form.locator('input[name="address"]').fill('1 Test-ro, Seoul');
      await form.locator('input[name="plan"]').fill('basic');
      await form.locator('input[name="licence_count"]').fill('25');
      await form.locator('input[name="service_start"]').fill('2026-01-01');
      await form.locator('input[name="service_end"]').fill('2026-12-31');
      await form.locator('input[name="owner.name"]').fill(flow.ownerName);
      await form.locator('input[name="owner.password"]').fill(PASSWORD);

      // An invalid owner login ID: the server's error shows next to that field (UI-4).
      await form.locator('input[name="owner.login_id"]').fill('Bad ID!');
      await page.getByTestId('tenant-submit').click();
      const fieldErr = form.locator('.field-error[data-field="owner.login_id"]');
      await fieldErr.waitFor();
      assert.equal(await fieldErr.getAttribute('role'), 'alert');
      assert.equal(await form.locator('input[name="owner.login_id"]').getAttribute('aria-invalid'), 'true');

      await form.locator('input[name="owner.login_id"]').fill(flow.ownerLogin);
      await page.getByTestId('tenant-submit').click();
      const ok = page.locator('[data-testid="tenants-message"] [role="status"]');
      await ok.waitFor();
      assert.match(await ok.textContent(), new RegExp(flow.ownerLogin));
      const row = page.locator('[data-testid="tenant-row"]').filter({ hasText: flow.tenantName });
      await row.waitFor();
      assert.match(await row.textContent(), /25/);
      assert.match(await row.textContent(), /Asia\/Seoul/);
      assert.deepEqual(unexpectedErrors(errors), []);
    });

    // The new owner signs in and adds a viewer on the admin users page.
    await withPage({}, async (page, errors) => {
      await page.goto('/#/admin/users');
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      await loginWithForm(page, flow.ownerLogin, PASSWORD);
      await page.waitForURL(/#\/admin\/users$/);
      await heading(page).filter({ hasText: 'Admin users' }).waitFor();
      // User text is text: the markup in the name is shown literally, never parsed.
      assert.equal(await page.getByTestId('user-name').textContent(), flow.ownerName);
      assert.equal(await page.locator('header b, main b').count(), 0);

      const ownRow = page.locator(`[data-testid="user-row"][data-login-id="${flow.ownerLogin}"]`);
      await ownRow.waitFor();
      assert.match(await ownRow.textContent(), /Owner <b>Kim<\/b>/);

      const form = page.getByTestId('add-user-form');
      // Too short a password: the server's field error shows next to the password.
      await form.locator('input[name="login_id"]').fill(flow.viewerLogin);
      await form.locator('input[name="name"]').fill(flow.viewerName);
      await form.locator('select[name="role"]').selectOption('viewer');
      await form.locator('input[name="password"]').fill('short');
      await page.getByTestId('add-user-submit').click();
      await form.locator('.field-error[data-field="password"]').waitFor();

      await form.locator('input[name="password"]').fill(PASSWORD);
      await page.getByTestId('add-user-submit').click();
      const viewerRow = page.locator(`[data-testid="user-row"][data-login-id="${flow.viewerLogin}"]`);
      await viewerRow.waitFor();
      assert.match(await viewerRow.textContent(), new RegExp(flow.viewerName));
      assert.equal(await viewerRow.getByTestId('row-role').inputValue(), 'viewer');
      assert.equal(await viewerRow.getAttribute('data-status'), 'active');

      // The same login ID again: refused, the message shows on the form.
      await form.locator('input[name="login_id"]').fill(flow.viewerLogin);
      await form.locator('input[name="name"]').fill('Someone Else');
      await form.locator('input[name="password"]').fill(PASSWORD);
      await page.getByTestId('add-user-submit').click();
      await form.locator('[role="alert"]').first().waitFor();
      assert.equal(await page.locator('[data-testid="user-row"]').count(), 2);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(c) the viewer sees no admin pages, no download and no edit controls; the API refuses them (AUTH-2)', async () => {
    await withPage({}, async (page, errors) => {
      await page.goto('/');
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      await loginWithForm(page, flow.viewerLogin, PASSWORD);
      await page.waitForURL(/#\/dashboard$/);
      assert.equal(await page.getByTestId('user-name').textContent(), flow.viewerName);
      assert.equal(await page.getByTestId('user-role').textContent(), 'Viewer');

      // Nav: no admin users, no access management, no tenants; work history yes.
      for (const href of ['#/admin/users', '#/settings/access', '#/admin/tenants']) {
        assert.equal(await nav(page).locator(`a[href="${href}"]`).count(), 0, href);
      }
      assert.equal(await nav(page).locator('a[href="#/history/work"]').count(), 1);

      // Work history: rows are readable, no CSV button, no edit controls.
      await page.goto('/#/history/work');
      await heading(page).filter({ hasText: 'Work history' }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="work-status"]')?.textContent !== 'Loading…');
      assert.equal(await page.getByTestId('download-csv').count(), 0);
      assert.equal(await page.locator('main [data-requires]').count(), 0);

      // Opening the admin pages directly shows "no permission", not the controls.
      for (const path of ['/admin/users', '/settings/access', '/admin/tenants']) {
        await page.goto(`/#${path}`);
        await page.getByTestId('forbidden').waitFor();
        assert.equal(await page.locator('main form, main table, main [data-requires]').count(), 0, path);
      }

      // The server refuses the viewer too, with a valid session and CSRF token.
      const csrf = await csrfFromPage(page);
      assert.ok(csrf, 'the viewer has a CSRF token');
      const statuses = await page.evaluate(async (token) => {
        const put = await fetch('/api/settings/access', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': token },
          body: JSON.stringify({ rules: [] }),
        });
        const exp = await fetch('/api/history/audit/export');
        const users = await fetch('/api/users', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': token },
          body: JSON.stringify({ login_id: 'sneaky-user', name: 'Sneaky', role: 'owner', password: 'sneaky-password-1' }),
        });
        return {
          put: put.status,
          putCode: (await put.json().catch(() => ({})))?.error?.code,
          export: exp.status,
          exportCode: (await exp.json().catch(() => ({})))?.error?.code,
          users: users.status,
        };
      }, csrf);
      assert.equal(statuses.put, 403);
      assert.equal(statuses.putCode, 'forbidden');
      assert.equal(statuses.export, 403);
      assert.equal(statuses.exportCode, 'forbidden');
      assert.equal(statuses.users, 403);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(d) saving a list that would lock the owner out is refused and names the address (ACC-1)', async () => {
    await withPage({}, async (page, errors, context) => {
      await signInContext(context, flow.ownerLogin, PASSWORD);
      await page.goto('/#/settings/access');
      await heading(page).filter({ hasText: 'Access management' }).waitFor();
      const yourIp = page.getByTestId('your-ip');
      await page.waitForFunction(() => document.querySelector('[data-testid="your-ip"]')?.textContent !== '…');
      const ip = (await yourIp.textContent()).trim();
      assert.match(ip, /^[0-9a-f.:]+$/i, `an address: ${ip}`);
      assert.equal(await page.getByTestId('access-row').count(), 0, 'starts empty');
      assert.ok(await page.getByTestId('access-empty').isVisible());

      // An invalid entry: the error shows next to that row's input (rules.N).
      await page.getByTestId('access-add').click();
      await page.locator('input[name="rules.0"]').fill('not-an-address');
      await page.getByTestId('access-save').click();
      const rowErr = page.locator('.field-error[data-field="rules.0"]');
      await rowErr.waitFor();
      assert.equal(await page.locator('input[name="rules.0"]').getAttribute('aria-invalid'), 'true');

      // Only 203.0.113.0/24 (not the browser's address): refused with a prominent alert naming the address.
      await page.locator('input[name="rules.0"]').fill('203.0.113.0/24');
      await page.locator('input[name="rules.0.note"]').fill('HQ');
      await page.getByTestId('access-save').click();
      const alert = page.locator('[data-testid="access-alert"] [role="alert"]');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'would_lock_you_out');
      const text = await alert.textContent();
      const ipMentioned = [ip, ip.replace(/^::ffff:/, '')].some((a) => text.includes(a));
      assert.ok(ipMentioned, `the message names ${ip}: ${text}`);

      // Not saved: a reload shows the empty list.
      await page.reload();
      await heading(page).filter({ hasText: 'Access management' }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="your-ip"]')?.textContent !== '…');
      assert.equal(await page.getByTestId('access-row').count(), 0);
      assert.ok(await page.getByTestId('access-empty').isVisible());
      const saved = await page.evaluate(async () => (await fetch('/api/settings/access')).json());
      assert.deepEqual(saved.rules, []);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(e) work history lists the owner\'s own actions in the tenant time zone (AUD-1, HIST-5)', async () => {
    await withPage({}, async (page, errors, context) => {
      await signInContext(context, flow.ownerLogin, PASSWORD);
      await page.goto('/#/history/work');
      await heading(page).filter({ hasText: 'Work history' }).waitFor();

      // The viewer creation shows up, by the owner.
      const created = page.locator(`[data-testid="work-row"][data-action="users.create"][data-login="${flow.ownerLogin}"]`);
      await created.first().waitFor();
      const time = (await created.first().locator('time').textContent()).trim();
      assert.match(time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      // Shown in Asia/Seoul: the instant in the datetime attribute, converted, equals the text.
      const iso = await created.first().locator('time').getAttribute('datetime');
      const seoul = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Seoul',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso));
      assert.equal(time, seoul);
      assert.match(await page.locator('[data-testid="work-table"] > thead').textContent(), /Asia\/Seoul/);

      // Filter by action: only users.create rows; the CSV link carries the filters.
      // The action picker is in words: searching "admin" narrows it to the admin actions.
      await page.getByTestId('action-search').fill('Add admin');
      assert.equal(await page.getByTestId('filter-action').inputValue(), 'users.create');
      await page.getByTestId('filter-search').click();
      await page.waitForURL(/#\/history\/work\?action=users\.create$/);
      await page.waitForFunction(() => document.querySelector('[data-testid="work-status"]')?.textContent !== 'Loading…');
      const actions = await page.getByTestId('work-action').allTextContents();
      assert.ok(actions.length >= 1);
      assert.ok(actions.every((a) => a === 'Add admin'), actions.join(','));
      // The target is named, the result said in words.
      const succeeded = page
        .getByTestId('work-row')
        .filter({ has: page.getByTestId('work-outcome').getByText('Succeeded', { exact: true }) })
        .first();
      assert.match(await succeeded.getByTestId('work-target').textContent(), /^Admin .+\(.+\)$/);
      const href = await page.getByTestId('download-csv').getAttribute('href');
      assert.equal(href, '/api/history/audit/export?action=users.create');

      // The owner may download it: a CSV with the row.
      const csv = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, type: r.headers.get('Content-Type'), body: await r.text() };
      }, href);
      assert.equal(csv.status, 200);
      assert.match(csv.type, /text\/csv/);
      assert.match(csv.body, /users\.create/);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(e2) the owner changes a role, disables and enables, resets the password and deletes an admin (AUTH-2)', async () => {
    const ownerApi = await ApiClient.signIn(flow.ownerLogin, PASSWORD);
    const login = uniqueLogin('mgr');
    await ownerApi.call('POST', '/api/users', { login_id: login, name: 'Row Actions', role: 'viewer', password: PASSWORD });
    await withPage({}, async (page, errors, context) => {
      await signInContext(context, flow.ownerLogin, PASSWORD);
      await page.goto('/#/admin/users');
      await heading(page).filter({ hasText: 'Admin users' }).waitFor();
      const row = () => page.locator(`[data-testid="user-row"][data-login-id="${login}"]`);
      await row().waitFor();

      // Role change applies at once.
      await row().getByTestId('row-role').selectOption('manager');
      await page.waitForFunction(async (l) => {
        const r = await fetch('/api/users');
        const u = (await r.json()).items.find((x) => x.login_id === l);
        return u && u.role === 'manager';
      }, login);

      // Disable, then enable again.
      await row().getByTestId('row-disable').click();
      await page.locator(`[data-testid="user-row"][data-login-id="${login}"][data-status="disabled"]`).waitFor();
      await assert.rejects(ApiClient.signIn(login, PASSWORD), (e) => e.status === 401 || e.status === 403, 'a disabled admin cannot sign in');
      await row().getByTestId('row-enable').click();
      await page.locator(`[data-testid="user-row"][data-login-id="${login}"][data-status="active"]`).waitFor();

      // Reset the password: too short shows next to the field, then a good one works.
      await row().getByTestId('row-reset').click();
      const resetForm = page.locator(`[data-testid="reset-form"]:visible`);
      await resetForm.locator('input[name="new_password"]').fill('short');
      await resetForm.locator('button[type="submit"]').click();
      await resetForm.locator('.field-error[data-field="new_password"]').waitFor();
      await resetForm.locator('input[name="new_password"]').fill('reset-password-42');
      await resetForm.locator('button[type="submit"]').click();
      await page.locator('[data-testid="users-message"] [role="status"]').waitFor();
      const asManager = await ApiClient.signIn(login, 'reset-password-42');
      assert.equal(asManager.user.role, 'manager');

      // Delete asks first, inline.
      await row().getByTestId('row-delete').click();
      await row().getByTestId('row-delete-confirm').click();
      await row().waitFor({ state: 'detached' });
      await assert.rejects(ApiClient.signIn(login, 'reset-password-42'), (e) => e.status === 401);

      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(f) when the session ends, the next API call sends the user to the login page (AUTH-3)', async () => {
    await withPage({}, async (page, errors, context) => {
      await signInContext(context, flow.ownerLogin, PASSWORD);
      await page.goto('/#/history/work');
      await heading(page).filter({ hasText: 'Work history' }).waitFor();
      await context.clearCookies();
      await page.getByTestId('filter-search').click();
      await heading(page).filter({ hasText: 'Sign in' }).waitFor();
      assert.match(page.url(), /#\/login\?next=%2Fhistory%2Fwork/);
      assert.equal(await page.getByTestId('user-name').count(), 0);

      // Signing in again returns to the page.
      await loginWithForm(page, flow.ownerLogin, PASSWORD);
      await page.waitForURL(/#\/history\/work$/);
      assert.deepEqual(unexpectedErrors(errors), []);
    });
  });

  test('(g) change password on the account page; wrong current password shows next to the field (AUTH-3, UI-4)', async () => {
    const { owner } = await createTenant(op);
    await withPage({}, async (page, errors, context) => {
      await signInContext(context, owner.login, owner.password);
      await page.goto('/#/account');
      await heading(page).filter({ hasText: 'My account' }).waitFor();
      const form = page.getByTestId('password-form');
      await form.locator('input[name="current_password"]').fill('not-my-password');
      await form.locator('input[name="new_password"]').fill('brand-new-pass-1');
      await form.locator('input[name="confirm_password"]').fill('brand-new-pass-1');
      await form.locator('button[type="submit"]').click();
      await form.locator('.field-error[data-field="current_password"]').waitFor();

      await form.locator('input[name="current_password"]').fill(owner.password);
      await form.locator('input[name="new_password"]').fill('brand-new-pass-1');
      await form.locator('input[name="confirm_password"]').fill('brand-new-pass-1');
      await form.locator('button[type="submit"]').click();
      await page.locator('[data-testid="password-message"] [role="status"]').waitFor();
      // The session continues with its new CSRF token: a later change works.
      const status = await page.evaluate(async () => {
        const { api } = await import('/js/api.js');
        try { await api('POST', '/api/auth/logout'); return 204; } catch (e) { return e.status; }
      });
      assert.equal(status, 204);
      assert.deepEqual(unexpectedErrors(errors), []);
    });
    // The new password works, the old one does not.
    await ApiClient.signIn(owner.login, 'brand-new-pass-1');
    await assert.rejects(ApiClient.signIn(owner.login, owner.password), (e) => e.status === 401);
  });
});
