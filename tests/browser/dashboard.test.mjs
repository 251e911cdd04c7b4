// The monitoring dashboard (MON-1..7, UI-3; issue 15) in the Korean locale:
// figures move after the provider's events, a failed refresh shows "연결 끊김"
// and recovers, SLA colours follow the queue's targets, a callback is
// requested from an abandoned call in one click, and a wallboard link works
// without a session until it is revoked.
//
// Needs SWITCHBOARD_URL, the operator and SWITCHBOARD_WEBHOOK_SECRET
// (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin } from './lib/accounts.mjs';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';
import { deliver as deliverSigned, WEBHOOK_SECRET } from './lib/provider.mjs';

let browser;
let op;
const SECRET = WEBHOOK_SECRET;

before(async () => {
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
});

/** A company with its own representative number, queue 1 "상담" and agent kim. */
async function company() {
  const { tenant, owner } = await createTenant(op, { name: `대시보드 시험 ${Date.now()}`, ownerLogin: uniqueLogin('dash') });
  const client = await ApiClient.signIn(owner.login, owner.password);
  // 070 then 8 digits not starting with 0 (a 070 number's exchange never does).
  const line = `070${10_000_000 + (Date.now() % 90_000_000)}`;
  await op.call('POST', '/api/operator/numbers', { number: line, tenant_id: tenant.id });
  await client.call('PUT', '/api/settings/ars', {
    representative_number: line,
    caller_id: null,
    greeting: { kind: 'text', text: '안녕하십니까?' },
    out_of_hours: '지금은 상담 시간이 아닙니다.',
    connecting: '상담사에게 연결해 드리겠습니다.',
    busy: '모든 상담사가 통화 중입니다.',
    busy_wait_seconds: 30,
    callback: '콜백을 원하시면 1번을 눌러 주십시오.',
  });
  const menu = await client.call('POST', '/api/settings/menus', { digit: 1, kind: 'agents', queue: '상담', callback: true });
  await client.call('POST', '/api/settings/agents', { login_id: 'kim', name: '김상담', password: 'agent-pass-123' });
  return { tenant, owner, client, line, menu };
}

async function withDashboard(fn) {
  const c = await company();
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, c.owner.login, c.owner.password);
    await page.goto('/#/dashboard');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('live-status').filter({ hasText: '마지막 갱신' }).waitFor();
    await fn(page, c, errors);
  } finally {
    await context.close();
  }
}

test('the figures move after the provider\'s events, in Korean, with the last update shown', { skip: !SECRET && 'no SWITCHBOARD_WEBHOOK_SECRET' }, async () => {
  await withDashboard(async (page, c, errors) => {
    const waiting = page.getByTestId('queue-row-1').getByTestId('queue-waiting');
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-row-1"] [data-testid="queue-waiting"]')?.textContent.trim().startsWith('0'));
    assert.equal((await page.getByTestId('summary-total-inbound').textContent()).trim(), '0');
    const call = `bt-call-${Date.now()}`;
    await deliverSigned(c.line, [
      ['call.received', { call, from: '01012345678' }, -20],
      ['call.queued', { call, digit: 1 }, -18],
    ]);
    // The next poll (1 s) shows the caller waiting and counted.
    await page.waitForFunction(() => document.querySelector('[data-testid="summary-total-inbound"]')?.textContent.trim() === '1', null, { timeout: 5000 });
    assert.match(await waiting.textContent(), /^1/);
    assert.match(await page.getByTestId('queue-row-1').getByTestId('queue-longest-wait').textContent(), /^0:\d\d$/);
    // The agent signs in: MON-7 counts them ready.
    await deliverSigned(c.line, [['agent.login', { agent: 'kim', session: `s-${Date.now()}`, platform: 'pc', ip: '203.0.113.7' }, -5]]);
    await page.getByTestId('agent-count-ready').filter({ hasText: '1' }).waitFor({ timeout: 5000 });
    assert.match(await page.getByTestId('agent-row-kim').textContent(), /수신대기/);
    // Korean labels, charts drawn.
    for (const label of ['자원현황', '테넌트 정보', 'IVR 콜인입 추이', '상담큐 현황', '상담사 상태', '오늘의 포기호']) {
      await page.getByRole('heading', { name: label }).first().waitFor();
    }
    await page.locator('[data-testid="chart-inflow"] canvas').first().waitFor();
    await page.locator('[data-testid="chart-trend"] canvas').first().waitFor();
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('a failed refresh keeps the figures with "연결 끊김", and the next good one removes it', async () => {
  await withDashboard(async (page) => {
    const marker = page.getByTestId('offline-marker');
    assert.equal(await marker.isVisible(), false);
    await page.route('**/api/dashboard', (route) => route.abort());
    await marker.waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await marker.textContent(), /연결 끊김/);
    // The last good data stays on screen.
    assert.equal((await page.getByTestId('summary-total-inbound').textContent()).trim(), '0');
    await page.unroute('**/api/dashboard');
    await marker.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.getByTestId('live-status').filter({ hasText: '마지막 갱신' }).waitFor();
  });
});

test('SLA colours follow the queue\'s targets, with the target in words on hover and focus', { skip: !SECRET && 'no SWITCHBOARD_WEBHOOK_SECRET' }, async () => {
  await withDashboard(async (page, c) => {
    const call = `bt-sla-${Date.now()}`;
    await deliverSigned(c.line, [
      ['call.received', { call, from: '01022223333' }, -60],
      ['call.queued', { call, digit: 1 }, -58],
      ['call.answered', { call, agent: 'kim' }, -50],
    ]);
    // Answer rate 100 %: a 90 % target is met (green), a waiting alarm of 1 is reached by nobody.
    await c.client.call('PUT', `/api/settings/menus/${c.menu.id}/targets`, { answer_rate_pct: 90, service_level_pct: null, waiting_max: 1 });
    const rate = page.getByTestId('queue-row-1').getByTestId('queue-answer-rate');
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-row-1"] [data-testid="queue-answer-rate"]')?.dataset.grade === 'ok', null, { timeout: 5000 });
    assert.match(await rate.getAttribute('title'), /목표 90% 충족/);
    assert.match(await rate.textContent(), /충족/);
    // A caller starts waiting: the waiting alarm of 1 turns red, with text.
    const waiting = `bt-sla-w-${Date.now()}`;
    await deliverSigned(c.line, [
      ['call.received', { call: waiting, from: '01044445555' }, -5],
      ['call.queued', { call: waiting, digit: 1 }, -4],
    ]);
    const w = page.getByTestId('queue-row-1').getByTestId('queue-waiting');
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-row-1"] [data-testid="queue-waiting"]')?.dataset.grade === 'bad', null, { timeout: 5000 });
    assert.match(await w.getAttribute('aria-label'), /미달/);
    // The answer rate (1 of 2 offered now) misses 90 %.
    await page.waitForFunction(() => document.querySelector('[data-testid="queue-row-1"] [data-testid="queue-answer-rate"]')?.dataset.grade === 'bad', null, { timeout: 5000 });
    await rate.focus();
    assert.match(await rate.getAttribute('title'), /목표 90% 미달/);
  });
});

test('a callback is requested from an abandoned call in one click', { skip: !SECRET && 'no SWITCHBOARD_WEBHOOK_SECRET' }, async () => {
  await withDashboard(async (page, c) => {
    const call = `bt-ab-${Date.now()}`;
    await deliverSigned(c.line, [
      ['call.received', { call, from: '01098765432' }, -90],
      ['call.queued', { call, digit: 1 }, -88],
      ['call.abandoned', { call }, -40],
      ['call.ended', { call }, -40],
    ]);
    const row = page.getByTestId(`abandoned-row-${call}`);
    await row.waitFor({ timeout: 5000 });
    assert.match(await row.textContent(), /01098765432/);
    assert.match(await row.textContent(), /0:48/); // waited 48 s (분:초)
    await page.getByTestId(`callback-${call}`).click();
    await page.getByTestId('abandoned-message').filter({ hasText: '콜백을 요청했습니다' }).waitFor();
    await row.filter({ hasText: '콜백 요청됨' }).waitFor({ timeout: 5000 });
    const board = await c.client.call('GET', '/api/dashboard');
    const listed = board.abandoned.find((a) => a.call_id === call);
    assert.equal(listed.callback_status, 'requested');
  });
});

test('a wallboard link shows the dashboard without a session and stops when revoked', async () => {
  await withDashboard(async (page, c) => {
    await page.getByTestId('wallboard-label').fill('3층 TV');
    await page.getByTestId('wallboard-create').click();
    const url = await page.getByTestId('wallboard-url').textContent();
    assert.match(url, /\/wallboard\/#[0-9a-f]{48}$/);
    // A fresh context: no cookie at all, the size of a wall TV.
    const tv = await openPage(browser, { locale: 'ko-KR', viewport: { width: 1920, height: 1080 } });
    try {
      await tv.page.goto(url);
      await tv.page.getByTestId('dashboard').waitFor();
      await tv.page.getByTestId('live-status').filter({ hasText: '마지막 갱신' }).waitFor();
      assert.equal(await tv.page.locator('nav').count(), 0, 'no navigation');
      assert.equal(await tv.page.getByTestId('abandoned-table').count(), 0, 'no callers on a wall');
      await tv.page.getByText('자원현황').first().waitFor();
      // Revoked from the admin page: the TV says so.
      const links = await c.client.call('GET', '/api/dashboard/wallboard-links');
      const id = links.items[0].id;
      await page.reload();
      await page.getByTestId(`wallboard-revoke-${id}`).click();
      await page.getByTestId(`wallboard-link-${id}`).filter({ hasText: '해지됨' }).waitFor();
      await tv.page.getByTestId('wallboard-gone').waitFor({ state: 'visible', timeout: 10_000 });
      await tv.page.getByTestId('offline-marker').waitFor({ state: 'visible' });
    } finally {
      await tv.context.close();
    }
  });
});

test('owners see a stalled callback worker in the header, in Korean; it goes once the worker ticks; viewers are not shown it', async () => {
  const c = await company();
  const warning = (page) => page.getByTestId('worker-stalled');
  const checked = (page) => page.locator('[data-testid="worker-stalled"][data-checked="yes"]').waitFor({ state: 'attached' });
  // The worker just ran (the dev server has no cron: the operator runs it).
  await op.call('POST', '/api/operator/worker/tick');
  {
    const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
    try {
      await signInContext(context, c.owner.login, c.owner.password);
      await page.goto('/#/dashboard');
      await page.getByTestId('dashboard').waitFor();
      await checked(page);
      assert.equal(await warning(page).isHidden(), true);
      assert.deepEqual(unexpectedErrors(errors), []);
    } finally {
      await context.close();
    }
  }
  // A worker last seen two minutes ago: the server says stalled (the native
  // test run_4_owners_and_managers_see_a_stalled_worker… proves when it does).
  {
    const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
    try {
      await signInContext(context, c.owner.login, c.owner.password);
      const lastTick = new Date(Date.now() - 120_000).toISOString();
      let stalled = true;
      await page.route('**/api/dashboard/worker', (route) =>
        route.fulfill({ json: { stalled, last_tick: lastTick, stalled_after_seconds: 60 } }),
      );
      await page.goto('/#/dashboard');
      await warning(page).waitFor();
      const text = await warning(page).textContent();
      assert.match(text, /콜백 워커가 60초 넘게 실행되지 않았습니다/);
      assert.match(text, /마지막 실행: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\)/, text);
      assert.doesNotMatch(text, /[A-Za-z]/, 'no English in the Korean warning');
      assert.equal(await warning(page).getAttribute('role'), 'alert');
      // The worker runs again: the next check (every 15 s) hides it.
      stalled = false;
      await warning(page).waitFor({ state: 'hidden', timeout: 20_000 });
      assert.deepEqual(unexpectedErrors(errors), []);
    } finally {
      await context.close();
    }
  }
  // A viewer's dashboard neither asks nor shows it.
  const viewer = uniqueLogin('dashv');
  await c.client.call('POST', '/api/users', { login_id: viewer, name: '보기 전용', role: 'viewer', password: 'viewer-pass-123' });
  {
    const { context, page } = await openPage(browser, { locale: 'ko-KR' });
    try {
      await signInContext(context, viewer, 'viewer-pass-123');
      let asked = false;
      page.on('request', (r) => {
        if (r.url().includes('/api/dashboard/worker')) asked = true;
      });
      await page.goto('/#/dashboard');
      await page.getByTestId('live-status').filter({ hasText: '마지막 갱신' }).waitFor();
      assert.equal(await warning(page).count(), 0);
      assert.equal(asked, false);
    } finally {
      await context.close();
    }
  }
});
