// Settings screens (issue 8): ARS (greeting length counted like the server,
// menus), agents up to the licence count, and the Korean ARS screen without
// Latin letters in its own text.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin } from './lib/accounts.mjs';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;
let op;

before(async () => {
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
});

const HANGUL = /[\uAC00-\uD7A3]/;
const LATIN = /[A-Za-z]/;
const SYLLABLES = '가나다라마바사아자차카타파하';
const korean = (n) => Array.from({ length: n }, (_, i) => SYLLABLES[i % SYLLABLES.length]).join('');

async function withOwner(opts, fn) {
  const { owner } = await createTenant(op, { name: `설정 시험 ${Date.now()}`, ownerLogin: uniqueLogin('set'), ...(opts.tenant || {}) });
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR', ...(opts.context || {}) });
  try {
    await signInContext(context, owner.login, owner.password);
    await fn(page, errors, owner);
  } finally {
    await context.close();
  }
}

test('ARS greeting: 201 Korean characters are refused next to the field, 200 are saved', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/ars');
    const form = page.getByTestId('ars-form');
    await form.waitFor();
    const area = form.locator('textarea[name="greeting.text"]');
    // The defaults are loaded before we type (the counter shows them).
    await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length > 0);

    await area.fill(korean(201));
    assert.equal((await page.getByTestId('counter-greeting-text').textContent()).trim(), '201/200');
    await page.getByTestId('ars-save').click();
    const err = form.locator('.field-error[data-field="greeting.text"]');
    await err.waitFor();
    const text = (await err.textContent()).trim();
    assert.match(text, /200/, text);
    assert.match(text, HANGUL, text);
    assert.doesNotMatch(text, LATIN, text);
    assert.equal(await area.getAttribute('aria-invalid'), 'true');

    await area.fill(korean(200));
    assert.equal((await page.getByTestId('counter-greeting-text').textContent()).trim(), '200/200');
    await page.getByTestId('ars-save').click();
    await page.getByTestId('ars-message').getByRole('status').waitFor();
    assert.equal(await form.locator('.field-error').count(), 0);

    // Saved: a reload shows the 200-syllable text.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length === 200);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('ARS: numbers are shown formatted, the default text button fills the prompt, menus can be added and deleted', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/ars');
    const form = page.getByTestId('ars-form');
    await form.waitFor();
    await page.waitForFunction(() => document.querySelector('textarea[name="connecting"]')?.value.length > 0);

    await page.getByTestId('ars-representative').fill('07012345678');
    await page.getByTestId('ars-caller-id').fill('0212345678');
    await page.getByTestId('ars-connecting').fill('');
    await page.getByTestId('default-connecting').click();
    await page.waitForFunction(() => document.querySelector('textarea[name="connecting"]')?.value.length > 0);
    await page.getByTestId('ars-save').click();
    await page.getByTestId('ars-message').getByRole('status').waitFor();
    assert.equal(await page.getByTestId('ars-representative').inputValue(), '070-1234-5678');
    assert.match(await page.getByTestId('ars-caller-id').inputValue(), /^02-\d{3,4}-\d{4}$/);

    // A mobile number cannot be the representative number: the error sits next to it.
    await page.getByTestId('ars-representative').fill('010-1234-5678');
    await page.getByTestId('ars-save').click();
    await form.locator('.field-error[data-field="representative_number"]').waitFor();

    // Menus: an agent-connect menu on 1 and an information menu on 2.
    const mform = page.getByTestId('menu-form');
    await mform.locator('select[name="digit"]').selectOption('1');
    await mform.locator('select[name="kind"]').selectOption('agents');
    await mform.locator('input[name="queue"]').fill('상품 문의');
    await mform.locator('input[name="callback"]').check();
    await page.getByTestId('menu-submit').click();
    await page.locator('[data-testid="menu-row"][data-digit="1"]').waitFor();

    await mform.locator('select[name="digit"]').selectOption('2');
    await mform.locator('select[name="kind"]').selectOption('info');
    await mform.locator('textarea[name="message.text"]').fill('영업시간은 평일 오전 아홉 시부터입니다.');
    await page.getByTestId('menu-submit').click();
    const info = page.locator('[data-testid="menu-row"][data-digit="2"]');
    await info.waitFor();
    assert.match(await info.textContent(), /영업시간은 평일/);
    assert.match(await page.locator('[data-testid="menu-row"][data-digit="1"]').textContent(), /상품 문의/);

    // The same digit again is refused next to the digit.
    await mform.locator('select[name="digit"]').selectOption('1');
    await mform.locator('select[name="kind"]').selectOption('agents');
    await mform.locator('input[name="queue"]').fill('중복');
    await page.getByTestId('menu-submit').click();
    const dup = mform.locator('.field-error[data-field="digit"]');
    await dup.waitFor();
    assert.doesNotMatch(await dup.textContent(), LATIN);

    // Delete the information menu (with confirmation).
    await info.getByTestId('menu-delete').click();
    await info.getByTestId('menu-delete-confirm').click();
    await info.waitFor({ state: 'detached' });
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('ARS: deleting a menu that agents serve asks first, naming how many assignments go', async () => {
  const { owner } = await createTenant(op, { name: `배정 ${Date.now()}`, ownerLogin: uniqueLogin('mnu') });
  const api = await ApiClient.signIn(owner.login, owner.password);
  const menu = await api.call('POST', '/api/settings/menus', { digit: 3, kind: 'agents', queue: '배송', callback: false });
  for (const n of [1, 2]) {
    const a = await api.call('POST', '/api/settings/agents', { login_id: uniqueLogin(`ag${n}`), name: `상담원${n}`, password: 'agent-password-1' });
    await api.call('PUT', `/api/settings/agents/${a.id}/menus`, { menu_ids: [menu.id] });
  }
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/settings/ars');
    const row = page.locator('[data-testid="menu-row"][data-digit="3"]');
    await row.waitFor();
    await row.getByTestId('menu-delete').click();
    await row.getByTestId('menu-delete-confirm').click();
    const ask = row.getByTestId('menu-in-use');
    await ask.waitFor();
    assert.match(await ask.textContent(), /2명의 상담원 배정이 해제됩니다/);
    await row.getByTestId('menu-force-confirm').click();
    await row.waitFor({ state: 'detached' });
    const left = await api.call('GET', '/api/settings/menus');
    assert.equal(left.items.length, 0);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('the Korean ARS screen has no Latin letters in its labels, buttons and texts', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/ars');
    await page.getByTestId('ars-form').waitFor();
    await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length > 0);
    // Visible text of the page (form values are user data and are not text nodes).
    const text = await page.evaluate(() => {
      const main = document.getElementById('main');
      const out = [];
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('[hidden], option, [data-testid="menu-detail"]')) continue;
        if (!el.checkVisibility || el.checkVisibility()) out.push(n.textContent);
      }
      const attrs = [...main.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap((e) =>
        ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a)).filter(Boolean),
      );
      return [...out, ...attrs, ...[...main.querySelectorAll('option')].map((o) => o.textContent)].join('\n');
    });
    // Phone-number examples are digits and hyphens; nothing Latin may remain.
    const latin = text.split('\n').filter((l) => LATIN.test(l));
    assert.deepEqual(latin, []);
    assert.match(text, /기본 문구 넣기/);
    assert.match(text, /듣기/);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});
