// Settings screens (issue 8): ARS (greeting length counted like the server,
// menus), agents up to the licence count, and the Korean ARS screen without
// Latin letters in its own text.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin, uniqueNumber } from './lib/accounts.mjs';
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

test('ARS: the provisioned numbers are offered formatted, the default text button fills the prompt, menus can be added and deleted', async () => {
  const line = uniqueNumber('070');
  const caller = uniqueNumber('02');
  const mobile = uniqueNumber('010');
  const fmt = (d) => d.replace(/^(02)(\d{4})(\d{4})$/, '$1-$2-$3').replace(/^(0\d\d)(\d{4})(\d{4})$/, '$1-$2-$3');
  await withOwner({ tenant: { numbers: [line, caller, mobile] } }, async (page, errors) => {
    await page.goto('/#/settings/ars');
    const form = page.getByTestId('ars-form');
    await form.waitFor();
    await page.waitForFunction(() => document.querySelector('textarea[name="connecting"]')?.value.length > 0);

    // Only the company's own numbers are offered, as Koreans write them.
    const offered = await page.getByTestId('ars-representative').locator('option').allTextContents();
    assert.deepEqual(offered.slice(1).sort(), [line, caller, mobile].map(fmt).sort());
    await page.getByTestId('ars-representative').selectOption(line);
    await page.getByTestId('ars-caller-id').selectOption(caller);
    await page.getByTestId('ars-connecting').fill('');
    await page.getByTestId('default-connecting').click();
    await page.waitForFunction(() => document.querySelector('textarea[name="connecting"]')?.value.length > 0);
    await page.getByTestId('ars-save').click();
    await page.getByTestId('ars-message').getByRole('status').waitFor();
    await page.reload();
    await page.waitForFunction((l) => document.querySelector('[data-testid="ars-representative"]')?.value === l, line);
    assert.equal(await page.getByTestId('ars-caller-id').inputValue(), caller);

    // A mobile number cannot be the representative number: the error sits next to it.
    await page.getByTestId('ars-representative').selectOption(mobile);
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
    const a = await api.call('POST', '/api/settings/agents', { login_id: uniqueLogin(`ag${n}`), name: `상담사${n}`, password: 'agent-password-1' });
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
    assert.match(await ask.textContent(), /2명의 상담사 배정이 해제됩니다/);
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

test('agents: add up to the licence count, the next one is refused in Korean; disabling frees a seat', async () => {
  await withOwner({ tenant: { licenceCount: 2 } }, async (page, errors) => {
    await page.goto('/#/settings/agents');
    const form = page.getByTestId('agent-form');
    await form.waitFor();
    await page.getByTestId('licence-use').filter({ hasText: '사용 0 / 전체 2' }).waitFor();
    const add = async (login, name) => {
      await form.locator('input[name="login_id"]').fill(login);
      await form.locator('input[name="name"]').fill(name);
      await form.locator('input[name="password"]').fill('agent-password-1');
      await page.getByTestId('agent-add').click();
    };
    const logins = [uniqueLogin('a1'), uniqueLogin('a2'), uniqueLogin('a3')];
    await add(logins[0], '김하나');
    await page.locator(`[data-testid="agent-row"][data-login-id="${logins[0]}"]`).waitFor();
    await add(logins[1], '이두리');
    await page.locator(`[data-testid="agent-row"][data-login-id="${logins[1]}"]`).waitFor();
    await page.getByTestId('licence-use').filter({ hasText: '사용 2 / 전체 2' }).waitFor();

    await add(logins[2], '박세나');
    const alert = page.getByTestId('licence-alert').getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()).trim();
    assert.match(text, /라이선스 2개를 모두 사용 중/, text);
    assert.doesNotMatch(text, LATIN, text);
    assert.equal(await page.locator('[data-testid="agent-row"]').count(), 2);

    // Disabling one frees the seat; then the third can be added.
    await page.locator(`[data-testid="agent-row"][data-login-id="${logins[0]}"]`).getByTestId('agent-disable').click();
    await page.locator(`[data-testid="agent-row"][data-login-id="${logins[0]}"][data-status="disabled"]`).waitFor();
    await page.getByTestId('licence-use').filter({ hasText: '사용 1 / 전체 2' }).waitFor();
    await add(logins[2], '박세나');
    await page.locator(`[data-testid="agent-row"][data-login-id="${logins[2]}"]`).waitFor();

    // Delete with confirmation.
    const row = page.locator(`[data-testid="agent-row"][data-login-id="${logins[1]}"]`);
    await row.getByTestId('agent-delete').click();
    await row.getByTestId('agent-delete-confirm').click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('assignment matrix saves the menus an agent serves; consultation types add, rename, reorder, delete', async () => {
  const { owner } = await createTenant(op, { name: `배정 유형 ${Date.now()}`, ownerLogin: uniqueLogin('asg') });
  const api = await ApiClient.signIn(owner.login, owner.password);
  const m1 = await api.call('POST', '/api/settings/menus', { digit: 1, kind: 'agents', queue: '주문', callback: true });
  await api.call('POST', '/api/settings/menus', { digit: 2, kind: 'agents', queue: '반품', callback: false });
  const agent = await api.call('POST', '/api/settings/agents', { login_id: uniqueLogin('ag'), name: '최상담', password: 'agent-password-1' });
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/settings/assignment');
    const row = page.locator(`[data-testid="assign-row"][data-login-id="${agent.login_id}"]`);
    await row.waitFor();
    await row.locator(`[data-testid="assign-check"][data-menu="${m1.id}"]`).check();
    await row.getByTestId('assign-save').click();
    await row.locator('.outcome-ok').waitFor();
    const after = await api.call('GET', '/api/settings/agents');
    assert.deepEqual(after.items.find((a) => a.id === agent.id).menus, [m1.id]);

    await page.goto('/#/settings/consultation-types');
    const form = page.getByTestId('type-form');
    await form.waitFor();
    for (const name of ['주문 문의', '배송 문의', '환불']) {
      await form.locator('input[name="name"]').fill(name);
      await page.getByTestId('type-add').click();
      await page.locator('[data-testid="type-row-name"]').nth(['주문 문의', '배송 문의', '환불'].indexOf(name)).waitFor();
    }
    const names = async () => page.locator('[data-testid="type-row-name"]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(await names(), ['주문 문의', '배송 문의', '환불']);
    // Duplicate name: the error is next to the name field.
    await form.locator('input[name="name"]').fill('환불');
    await page.getByTestId('type-add').click();
    await form.locator('.field-error[data-field="name"]').waitFor();
    // Move the last one up.
    await page.locator('[data-testid="type-row"]').nth(2).getByTestId('type-up').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="type-row-name"]')].map((e) => e.value).join('|') === '주문 문의|환불|배송 문의');
    // Rename inline.
    const first = page.locator('[data-testid="type-row"]').first();
    await first.locator('input[name="name"]').fill('주문·결제 문의');
    await first.getByTestId('type-rename').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="type-row-name"]')?.value === '주문·결제 문의');
    // Delete.
    const last = page.locator('[data-testid="type-row"]').nth(2);
    await last.getByTestId('type-delete').click();
    await page.getByTestId('type-delete-confirm').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="type-row"]').length === 2);
    const server = await api.call('GET', '/api/settings/consultation-types');
    assert.deepEqual(server.items.filter((x) => !x.archived).sort((a, b) => a.position - b.position).map((x) => x.name), ['주문·결제 문의', '환불']);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});

/** A short silent 8 kHz mono 16-bit WAV. */
function silentWav(samples = 800) {
  const data = samples * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  return b;
}

test('ARS greeting from an uploaded WAV: upload, player, save; a non-audio file is refused next to the file input; tablet width fits', async () => {
  await withOwner({ context: { viewport: { width: 768, height: 1024 } } }, async (page, errors) => {
    await page.goto('/#/settings/ars');
    await page.getByTestId('ars-form').waitFor();
    await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length > 0);
    await page.getByTestId('greeting-kind-audio').check();
    await page.getByTestId('greeting-file').setInputFiles({ name: 'not-audio.wav', mimeType: 'audio/wav', buffer: Buffer.from('this is text, not sound') });
    const err = page.locator('.field-error[data-field="greeting.file"]');
    await err.waitFor();
    assert.doesNotMatch(await err.textContent(), /[a-z]{3,}/, 'Korean message (format names aside)');

    await page.getByTestId('greeting-file').setInputFiles({ name: '인사말.wav', mimeType: 'audio/wav', buffer: silentWav() });
    await page.waitForFunction(() => document.querySelector('[data-testid="greeting-audio"]')?.value !== '');
    const src = await page.getByTestId('greeting-player').getAttribute('src');
    assert.match(src, /^\/api\/settings\/audio\/\d+$/);
    const played = await page.evaluate(async (u) => (await fetch(u)).headers.get('content-type'), src);
    assert.equal(played, 'audio/wav');
    await page.getByTestId('ars-save').click();
    await page.getByTestId('ars-message').getByRole('status').waitFor();
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="greeting-kind-audio"]')?.checked === true);
    assert.equal(await page.getByTestId('greeting-player').isVisible(), true);

    // Tablet width: nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('Numbers: the operator provisions a number to a company and releases it, in Korean', async () => {
  const { tenant } = await createTenant(op, { name: `번호 시험 ${Date.now()}`, ownerLogin: uniqueLogin('num') });
  const number = uniqueNumber('070');
  const formatted = number.replace(/^(070)(\d{4})(\d{4})$/, '$1-$2-$3');
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, operator().login, operator().password);
    await page.goto('/#/admin/numbers');
    const form = page.getByTestId('number-form');
    await form.waitFor();
    await page.waitForFunction((id) => !!document.querySelector(`[data-testid="number-tenant"] option[value="${id}"]`), tenant.id);
    // Without a company the server's error sits next to the field, in Korean.
    await page.getByTestId('number-number').fill(formatted);
    await page.getByTestId('number-submit').click();
    const tenantErr = form.locator('.field-error[data-field="tenant_id"]');
    await tenantErr.waitFor();
    assert.match(await tenantErr.textContent(), HANGUL);

    await page.getByTestId('number-tenant').selectOption(String(tenant.id));
    await page.getByTestId('number-submit').click();
    await page.getByTestId('numbers-message').getByRole('status').waitFor();
    await page.getByTestId('numbers-q').fill(number.slice(3, 7));
    await page.getByTestId('numbers-search').getByRole('button').click();
    const row = page.locator(`[data-testid="number-row"][data-number="${number}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /사용 중/);
    assert.match(await row.textContent(), /처음부터/);

    // Provisioning it again to anyone is refused: one holder at a time.
    await page.getByTestId('number-number').fill(formatted);
    await page.getByTestId('number-submit').click();
    const taken = form.locator('.field-error[data-field="number"]');
    await taken.waitFor();
    assert.match(await taken.textContent(), /이미 배정/);

    await row.getByTestId('number-release').click();
    await page.getByTestId('number-release-confirm').click();
    await page.waitForFunction((n) => document.querySelector(`[data-testid="number-row"][data-number="${n}"]`)?.dataset.current === 'false', number);
    assert.match(await page.locator(`[data-testid="number-row"][data-number="${number}"]`).textContent(), /회수됨/);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
