// Settings screens, part 2 (issue 8), in the Korean locale: business hours and
// holidays on the ARS screen (ARS-4, ARS-5), the contract screen (CON-1..3)
// and the work screen (SVC-4, SVC-5); none of them shows Latin letters in its
// own labels and buttons.
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

async function withOwner(opts, fn) {
  const { owner } = await createTenant(op, { name: `설정 시험 ${Date.now()}`, ownerLogin: uniqueLogin('hrs'), ...(opts.tenant || {}) });
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR', ...(opts.context || {}) });
  try {
    await signInContext(context, owner.login, owner.password);
    await fn(page, errors, owner);
  } finally {
    await context.close();
  }
}

/** Visible own text of #main: text nodes, labels in attributes, options; `skip` excludes data cells. */
async function screenText(page, skip = '') {
  return page.evaluate((skipSel) => {
    const main = document.getElementById('main');
    const out = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(`[hidden], option${skipSel ? `, ${skipSel}` : ''}`)) continue;
      if (!el.checkVisibility || el.checkVisibility()) out.push(n.textContent);
    }
    const attrs = [...main.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap((e) =>
      ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a)).filter(Boolean),
    );
    const buttons = [...main.querySelectorAll('button, label, legend, th, summary')].map((e) => e.textContent);
    return [...out, ...attrs, ...buttons, ...[...main.querySelectorAll('option')].map((o) => o.textContent)].join('\n');
  }, skip);
}

const latinLines = (text) => text.split('\n').filter((l) => LATIN.test(l));

test('business hours: weekdays 09:00–12:00 and 13:00–18:00 are saved and shown after a reload; an overlap is refused next to its range', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/ars');
    const form = page.getByTestId('hours-form');
    await form.waitFor();
    // Before the first save every day is closed; the status line says so.
    await page.getByTestId('hours-status').filter({ hasText: '상담시간이 아닙니다' }).waitFor();

    const weekdays = page.getByTestId('hours-group-weekdays');
    await weekdays.locator('input[name="groups.weekdays.available"]').check();
    // Checking "available" with no range adds an empty one.
    await form.locator('input[name="groups.weekdays.ranges.0.start"]').fill('09:00');
    await form.locator('input[name="groups.weekdays.ranges.0.end"]').fill('12:00');
    await page.getByTestId('groups.weekdays-add-range').click();
    await form.locator('input[name="groups.weekdays.ranges.1.start"]').fill('13:00');
    await form.locator('input[name="groups.weekdays.ranges.1.end"]').fill('18:00');
    await page.getByTestId('hours-save').click();
    await page.getByTestId('ars-message').getByRole('status').filter({ hasText: '상담시간을 저장했습니다' }).waitFor();
    assert.equal(await form.locator('.field-error').count(), 0);

    await page.reload();
    await page.waitForFunction(() => document.querySelector('input[name="groups.weekdays.ranges.1.end"]')?.value === '18:00');
    const ranges = await page
      .getByTestId('hours-group-weekdays')
      .locator('[data-testid="hours-range"]')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('input')].map((i) => i.value).join('–')));
    assert.deepEqual(ranges, ['09:00–12:00', '13:00–18:00']);
    assert.equal(await page.locator('input[name="groups.weekdays.available"]').isChecked(), true);
    assert.equal(await page.locator('input[name="groups.weekend.available"]').isChecked(), false);
    // The live status line is one of its two Korean forms.
    const status = (await page.getByTestId('hours-status').textContent()).trim();
    assert.match(status, /^(지금은 상담 가능|.+ — (다음 상담 시작: \d{4}년 \d{1,2}월 \d{1,2}일 \([일월화수목금토]\) \d{2}:\d{2}|예정된 상담시간이 없습니다))$/, status);

    // 11:00–14:00 overlaps 09:00–12:00: the Korean error sits right after that range's row.
    await page.getByTestId('groups.weekdays-add-range').click();
    await page.locator('input[name="groups.weekdays.ranges.2.start"]').fill('11:00');
    await page.locator('input[name="groups.weekdays.ranges.2.end"]').fill('14:00');
    await page.getByTestId('hours-save').click();
    const err = page.locator('.field-error[data-field="groups.weekdays.ranges.2"]');
    await err.waitFor();
    const text = (await err.textContent()).trim();
    assert.match(text, HANGUL, text);
    assert.match(text, /겹칩니다/, text);
    assert.doesNotMatch(text, LATIN, text);
    const placed = await err.evaluate((e) => e.previousElementSibling?.getAttribute('name'));
    assert.equal(placed, 'groups.weekdays.ranges.2');
    assert.equal(await page.locator('fieldset[name="groups.weekdays.ranges.2"]').getAttribute('aria-invalid'), 'true');

    // An end before the start is refused next to the end input.
    await page.locator('input[name="groups.weekdays.ranges.2.start"]').fill('20:00');
    await page.locator('input[name="groups.weekdays.ranges.2.end"]').fill('19:00');
    await page.getByTestId('hours-save').click();
    await page.locator('.field-error[data-field="groups.weekdays.ranges.2.end"]').waitFor();

    // Remove the bad row; a Friday override closed all day; save.
    await page.locator('fieldset[name="groups.weekdays.ranges.2"]').getByTestId('range-remove').click();
    await page.getByTestId('hours-days').locator('summary').click();
    await page.getByTestId('override-fri').check();
    await page.locator('input[name="days.fri.available"]').uncheck();
    await page.getByTestId('hours-save').click();
    await page.getByTestId('ars-message').getByRole('status').filter({ hasText: '상담시간을 저장했습니다' }).waitFor();
    const api = await page.evaluate(async () => (await fetch('/api/settings/hours')).json());
    assert.deepEqual(api.groups.weekdays.ranges, [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ]);
    assert.equal(api.days.fri.available, false);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('holidays: importing 2026 lists 설날 and 추석 with Korean dates; a second import adds none; add and delete one', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/ars');
    const card = page.getByTestId('holidays-card');
    await card.waitFor();
    await page.getByTestId('holiday-year').selectOption('2026');
    await page.getByTestId('holidays-empty').filter({ hasText: '2026년에 등록된 휴일이 없습니다' }).waitFor();

    await page.getByTestId('holiday-import').click();
    const result = page.getByTestId('holiday-import-result');
    await result.filter({ hasText: /건 추가/ }).waitFor();
    const first = (await result.textContent()).trim();
    const m = /(\d+)건 추가, (\d+)건 건너뜀/.exec(first);
    assert.ok(m, first);
    assert.ok(Number(m[1]) >= 15, first);
    assert.equal(m[2], '0');

    const seollal = page.locator('[data-testid="holiday-row"][data-date="2026-02-17"]');
    await seollal.waitFor();
    assert.equal((await seollal.getByTestId('holiday-name').textContent()).trim(), '설날');
    assert.equal((await seollal.getByTestId('holiday-date').textContent()).trim(), '2026년 2월 17일 (화)');
    assert.match(await seollal.textContent(), /공휴일/);
    const chuseok = page.locator('[data-testid="holiday-row"][data-date="2026-09-25"]');
    assert.equal((await chuseok.getByTestId('holiday-name').textContent()).trim(), '추석');
    assert.equal((await chuseok.getByTestId('holiday-date').textContent()).trim(), '2026년 9월 25일 (금)');
    assert.equal(await page.locator('[data-testid="holiday-row"][data-date="2026-09-24"]').count(), 1);

    await page.getByTestId('holiday-import').click();
    await result.filter({ hasText: /0건 추가/ }).waitFor();
    assert.equal((await result.textContent()).trim(), `2026년 공휴일: 0건 추가, ${m[1]}건 건너뜀`);

    // Add the company's own yearly holiday; the same day again is refused next to the date.
    const form = page.getByTestId('holiday-form');
    const add = async () => {
      await form.locator('input[name="date"]').fill('2026-04-10');
      await form.locator('input[name="name"]').fill('창립기념일');
      await form.locator('select[name="kind"]').selectOption('holiday');
      await form.locator('select[name="repeat"]').selectOption('yearly');
      await page.getByTestId('holiday-add').click();
    };
    await add();
    const own = page.locator('[data-testid="holiday-row"][data-date="2026-04-10"]');
    await own.waitFor();
    assert.match(await own.textContent(), /창립기념일.*휴일.*매년/);
    assert.equal((await own.getByTestId('holiday-date').textContent()).trim(), '4월 10일');
    await add();
    const dup = form.locator('.field-error[data-field="date"]');
    await dup.waitFor();
    assert.match(await dup.textContent(), /창립기념일/);
    assert.doesNotMatch(await dup.textContent(), LATIN);

    await own.getByTestId('holiday-delete').click();
    await own.getByTestId('holiday-delete-confirm').click();
    await own.waitFor({ state: 'detached' });
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('the Korean ARS screen with hours and holidays has no Latin letters in its labels and buttons; tablet width fits', async () => {
  await withOwner({ context: { viewport: { width: 768, height: 1024 } } }, async (page, errors) => {
    await page.goto('/#/settings/ars');
    await page.getByTestId('hours-form').waitFor();
    await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length > 0);
    await page.getByTestId('holiday-year').selectOption('2026');
    await page.getByTestId('holiday-import').click();
    await page.locator('[data-testid="holiday-row"]').first().waitFor();
    await page.locator('input[name="groups.weekend.available"]').check();
    await page.getByTestId('hours-days').locator('summary').click();
    await page.getByTestId('override-sat').check();
    const text = await screenText(page, '[data-testid="menu-detail"]');
    assert.deepEqual(latinLines(text), []);
    for (const s of ['상담시간 저장', '공휴일 불러오기', '시간대 추가', '평일', '주말', '토요일', '매년', '한 번', '임시휴일']) assert.match(text, new RegExp(s), s);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('contract: licence use, one change a day (the second is refused in Korean with the next date), company info, termination and withdrawal', async () => {
  await withOwner({ tenant: { licenceCount: 3 } }, async (page, errors, owner) => {
    const api = await ApiClient.signIn(owner.login, owner.password);
    await api.call('POST', '/api/settings/agents', { login_id: uniqueLogin('ag'), name: '상담사', password: 'agent-password-1' });
    await page.goto('/#/settings/contract');
    await page.getByTestId('licence-use').filter({ hasText: '라이선스 사용 1 / 전체 3' }).waitFor();
    assert.match(await page.getByTestId('service-period').textContent(), /^2026년 1월 1일 \(목\) ~ 2027년 12월 31일 \(금\)$/);
    assert.equal((await page.getByTestId('contract-plan').textContent()).trim(), '베이직');

    // First change today: 3 → 5.
    const form = page.getByTestId('licence-form');
    await form.locator('input[name="licence_count"]').fill('5');
    await page.getByTestId('licence-save').click();
    await page.getByTestId('licence-use').filter({ hasText: '라이선스 사용 1 / 전체 5' }).waitFor();
    // Second change the same day: refused, naming the next possible day in Korean.
    await form.locator('input[name="licence_count"]').fill('6');
    await page.getByTestId('licence-save').click();
    const alert = page.getByTestId('change-alert').getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()).trim();
    assert.match(text, /하루에 한 번만/, text);
    assert.match(text, /\d{4}년 \d{1,2}월 \d{1,2}일 \([일월화수목금토]\)부터 다시 바꿀 수 있습니다/, text);
    assert.doesNotMatch(text, LATIN, text);
    assert.match(await page.getByTestId('licence-use').textContent(), /전체 5/);

    // Company information: a bad phone is refused next to it; a good one is saved formatted.
    const company = page.getByTestId('company-form');
    await company.locator('input[name="phone"]').fill('12345');
    await page.getByTestId('company-save').click();
    const perr = company.locator('.field-error[data-field="phone"]');
    await perr.waitFor();
    assert.match(await perr.textContent(), HANGUL);
    await company.locator('input[name="phone"]').fill('0212345678');
    await company.locator('input[name="representative"]').fill('김대표');
    await page.getByTestId('company-save').click();
    await page.getByTestId('contract-message').getByRole('status').filter({ hasText: '회사 정보를 저장했습니다' }).waitFor();
    assert.match(await company.locator('input[name="phone"]').inputValue(), /^02-\d{3,4}-\d{4}$/);

    // Termination: request (with confirmation), then withdraw.
    await page.getByTestId('termination-reason').fill('사업 종료');
    await page.getByTestId('termination-request').click();
    await page.getByTestId('termination-confirm').click();
    await page.locator('[data-testid="termination-state"][data-state="requested"]').waitFor();
    assert.match(await page.getByTestId('termination').textContent(), /해지 신청됨.*사업 종료/s);
    await page.getByTestId('termination-withdraw').click();
    await page.locator('[data-testid="termination-state"][data-state="none"]').waitFor();

    // The Korean contract screen has no Latin letters in its own text (company data sits in inputs).
    const screen = await screenText(page);
    assert.deepEqual(latinLines(screen), []);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('work screen (Korean): the page renders without Latin letters in its own text, whether or not the work API exists yet', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/work');
    await page.getByTestId('work-form').waitFor();
    await page.getByTestId('insert-caller').waitFor();
    const screen = await screenText(page, '[data-testid="popup-preview"]');
    assert.deepEqual(latinLines(screen), []);
    assert.match(screen, /로그인 후 상태/);
    assert.match(screen, /미리보기/);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

// SVC-4/5: GET/PUT /api/settings/work and /api/settings/work/popup-preview.
test('work screen: states, after-call-work limit and popup URL are saved; the preview shows the rendered URL; an http template is refused next to the input', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/work');
    const form = page.getByTestId('work-form');
    await form.waitFor();
    await page.getByTestId('state_after_login-away').check();
    await page.getByTestId('state_after_call-after_call_work').check();
    await page.getByTestId('acw-limit-on').check();
    await form.locator('input[name="acw_limit_seconds"]').fill('30');
    const tpl = form.locator('input[name="popup_url_template"]');
    await tpl.fill('https://crm.example.com/customer?phone=');
    await page.getByTestId('insert-caller').click();
    assert.equal(await tpl.inputValue(), 'https://crm.example.com/customer?phone={caller}');
    await page.getByTestId('popup-preview-button').click();
    const preview = page.getByTestId('popup-preview');
    await preview.filter({ hasText: /^https:\/\/crm\.example\.com\/customer\?phone=\d+$/ }).waitFor();

    await page.getByTestId('work-save').click();
    await page.getByTestId('work-message').getByRole('status').waitFor();
    await page.reload();
    await page.waitForFunction(() => document.querySelector('input[name="acw_limit_seconds"]')?.value === '30');
    assert.equal(await page.getByTestId('state_after_login-away').isChecked(), true);
    assert.equal(await tpl.inputValue(), 'https://crm.example.com/customer?phone={caller}');

    // http is refused: the preview's error is next to the template input, in Korean.
    await tpl.fill('http://crm.example.com/?p={caller}');
    await page.getByTestId('popup-preview-button').click();
    const err = form.locator('.field-error[data-field="popup_url_template"]');
    await err.waitFor();
    assert.match(await err.textContent(), /보안 연결 주소만/);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

// CB-3: the callback policy block of the work screen, GET/PUT /api/settings/work/callbacks.
test('work screen: the callback policy block shows the defaults, refuses 0 attempts next to the input and saves minutes as seconds', async () => {
  await withOwner({}, async (page, errors) => {
    await page.goto('/#/settings/work');
    const form = page.getByTestId('callback-policy-form');
    await form.waitFor();
    const attempts = form.locator('input[name="max_attempts"]');
    const delay = form.locator('input[name="retry_delay_minutes"]');
    const expiry = form.locator('input[name="expiry_hours"]');
    await page.waitForFunction(() => document.querySelector('input[name="max_attempts"]')?.value === '3');
    assert.equal(await delay.inputValue(), '10');
    assert.equal(await expiry.inputValue(), '24');
    assert.match(await form.textContent(), /콜백 재시도/);

    await attempts.fill('0');
    await page.getByTestId('callback-policy-save').click();
    const err = form.locator('.field-error[data-field="max_attempts"]');
    await err.waitFor();
    assert.deepEqual(latinLines(await err.textContent()), []);

    await attempts.fill('4');
    await delay.fill('5');
    await expiry.fill('12');
    await page.getByTestId('callback-policy-save').click();
    await page.getByTestId('callback-policy-message').getByRole('status').waitFor();
    await page.reload();
    await page.waitForFunction(() => document.querySelector('input[name="max_attempts"]')?.value === '4');
    assert.equal(await delay.inputValue(), '5');
    assert.equal(await expiry.inputValue(), '12');
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});
