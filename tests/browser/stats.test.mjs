// The statistics pages (STAT-1..6, UI-3; issue 17) in the Korean locale: a
// day of calls arrives as the provider's signed events; the STAT-2 page
// filters by queue with the filter kept in the URL, draws its chart, sorts
// its table, and its Excel download is a workbook that opens (a ZIP with
// the sheet, fetched through the page's session).
//
// Needs SWITCHBOARD_URL, the operator and SWITCHBOARD_WEBHOOK_SECRET
// (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin, uniqueNumber } from './lib/accounts.mjs';
import { readFile } from 'node:fs/promises';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';
import { deliver as deliverSigned, WEBHOOK_SECRET } from './lib/provider.mjs';

let browser;
let op;
const SECRET = WEBHOOK_SECRET;
/** Signed provider events, with IDs of this file's own (`st-…`). */
const deliver = (line, events) => deliverSigned(line, events, 'st');

before(async () => {
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
});

test('a statistics page filters by queue in the URL, charts, sorts and downloads an XLSX that opens', async () => {
  const line = uniqueNumber('070');
  const { owner } = await createTenant(op, { name: `통계 시험 ${Date.now()}`, ownerLogin: uniqueLogin('stat'), numbers: [line] });
  const client = await ApiClient.signIn(owner.login, owner.password);
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
  await client.call('POST', '/api/settings/menus', { digit: 1, kind: 'agents', queue: '상담', callback: true });
  await client.call('POST', '/api/settings/menus', { digit: 3, kind: 'agents', queue: '결제', callback: false });
  await client.call('POST', '/api/settings/agents', { login_id: 'kim', name: '김상담', password: 'agent-pass-123' });
  // Queue 1: one answered, one abandoned; queue 3: one answered.
  await deliver(line, [
    ['call.received', { call: 'S1', from: '01011112222' }, -300],
    ['call.queued', { call: 'S1', digit: 1 }, -298],
    ['call.answered', { call: 'S1', agent: 'kim' }, -290],
    ['call.ended', { call: 'S1' }, -200],
    ['call.received', { call: 'S2', from: '01011113333' }, -250],
    ['call.queued', { call: 'S2', digit: 1 }, -248],
    ['call.abandoned', { call: 'S2' }, -230],
    ['call.ended', { call: 'S2' }, -230],
    ['call.received', { call: 'S3', from: '01011114444' }, -120],
    ['call.queued', { call: 'S3', digit: 3 }, -118],
    ['call.answered', { call: 'S3', agent: 'kim' }, -110],
    ['call.ended', { call: 'S3' }, -60],
  ]);

  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/stats/queues');
    await page.getByTestId('stats-status').filter({ hasText: '행' }).waitFor();
    const rows = page.getByTestId('stats-body').locator('tr');
    assert.equal(await rows.count(), 2);
    assert.match(await page.getByTestId('stats-totals').innerText(), /합계/);
    assert.equal(await page.getByTestId('stats-chart').locator('canvas').count() > 0, true, 'a chart is drawn');

    // Filter by queue 1: the URL keeps it, the table shows one queue.
    await page.getByTestId('stats-queue').fill('1');
    await page.getByTestId('stats-apply').click();
    await page.waitForFunction(() => location.hash.includes('queue=1'));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=stats-body] tr').length === 1);
    assert.match(await rows.first().innerText(), /상담/);
    // A bookmark of that URL opens the same view.
    await page.reload();
    await page.getByTestId('stats-status').filter({ hasText: '행' }).waitFor();
    assert.equal(await page.getByTestId('stats-queue').inputValue(), '1');
    assert.equal(await rows.count(), 1);

    // Sorting by a column header.
    await page.getByTestId('sort-offered').click();
    await page.waitForFunction(() => location.hash.includes('sort=offered'));

    // The Excel download: a ZIP (PK) workbook with its sheet.
    const href = await page.getByTestId('stats-xlsx').getAttribute('href');
    assert.match(href, /report=queues/);
    assert.match(href, /queue=1/);
    const bytes = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' });
      const b = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: [...b.slice(0, 2)], text: new TextDecoder('latin1').decode(b) };
    }, href);
    assert.equal(bytes.status, 200);
    assert.match(bytes.type, /spreadsheetml/);
    assert.deepEqual(bytes.head, [0x50, 0x4b]);
    assert.match(bytes.text, /xl\/worksheets\/sheet1\.xml/);
    // A click downloads through the page, which says how far it got.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-xlsx').click()]);
    assert.match(download.suggestedFilename(), /^stats-queues-.*\.xlsx$/);
    const saved = await readFile(await download.path());
    assert.deepEqual([...saved.subarray(0, 2)], [0x50, 0x4b]);
    await page.getByTestId('stats-download-status').filter({ hasText: '내려받기 완료' }).waitFor();
    assert.equal(await page.getByTestId('stats-progress').isHidden(), true);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
