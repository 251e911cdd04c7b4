// Service lookup pages (HIST-1, HIST-2): page through the call history,
// open a call's timeline, play a recording and seek in it (the player asks
// for byte ranges, relayed to the provider), and download an XLSX export.
// The test plays the telephony provider: it signs events with the dev
// server's webhook secret and serves the recording itself.
//
// Needs SWITCHBOARD_URL, the operator, SWITCHBOARD_WEBHOOK_SECRET and
// SWITCHBOARD_REC_PORT (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin, uniqueNumber } from './lib/accounts.mjs';
import { baseUrl, launch, openPage, unexpectedErrors } from './lib/browser.mjs';

const SECRET = process.env.SWITCHBOARD_WEBHOOK_SECRET;
const REC_PORT = Number(process.env.SWITCHBOARD_REC_PORT || 0);
const skip = !SECRET || !REC_PORT ? 'SWITCHBOARD_WEBHOOK_SECRET and SWITCHBOARD_REC_PORT are not set' : false;

/** A PCM WAV of `seconds` of a quiet tone (8 kHz, 16-bit mono). */
function wav(seconds) {
  const rate = 8000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(800 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return buf;
}

const FILE = wav(20);
const ranges = [];
let server;
let browser;
let op;

before(async () => {
  if (skip) return;
  server = createServer((req, res) => {
    const range = req.headers.range;
    ranges.push(range || '');
    const m = /^bytes=(\d*)-(\d*)$/.exec(range || '');
    if (!m) {
      res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': FILE.length, 'Accept-Ranges': 'bytes' });
      res.end(FILE);
      return;
    }
    let start = m[1] === '' ? FILE.length - Number(m[2]) : Number(m[1]);
    let end = m[1] === '' || m[2] === '' ? FILE.length - 1 : Math.min(Number(m[2]), FILE.length - 1);
    start = Math.max(0, start);
    if (start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${FILE.length}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      'Content-Type': 'audio/wav',
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${FILE.length}`,
      'Accept-Ranges': 'bytes',
    });
    res.end(FILE.subarray(start, end + 1));
  });
  await new Promise((r) => server.listen(REC_PORT, '127.0.0.1', r));
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
});

async function post(events) {
  const body = JSON.stringify({ events });
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
  const res = await fetch(`${baseUrl()}/hooks/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Switchboard-Timestamp': String(ts), 'X-Switchboard-Signature': sig },
    body,
  });
  assert.equal(res.status, 200, await res.text());
}

/** A company with a representative number, agent kim, 25 answered calls (the newest recorded). */
async function company() {
  const line = uniqueNumber('070');
  const caller = uniqueNumber('02');
  const { owner } = await createTenant(op, { name: `이력 시험 ${Date.now()}`, ownerLogin: uniqueLogin('hist'), numbers: [line, caller] });
  const me = await ApiClient.signIn(owner.login, owner.password);
  await me.call('PUT', '/api/settings/ars', {
    representative_number: line,
    caller_id: caller,
    greeting: { kind: 'text', text: '안녕하십니까' },
    out_of_hours: '상담 시간이 아닙니다.',
    connecting: '연결해 드리겠습니다.',
    busy: '통화 중입니다.',
    busy_wait_seconds: 30,
    callback: '콜백을 원하시면 1번',
  });
  await me.call('POST', '/api/settings/menus', { digit: 1, kind: 'agents', queue: '일반 상담' });
  await me.call('POST', '/api/settings/agents', { login_id: 'kim', name: '김민준', password: 'agent-pass-123' });
  const t0 = Date.now() - 3 * 3600_000;
  const events = [];
  for (let i = 0; i < 25; i++) {
    const call = `bc-${i}`;
    const at = (s) => new Date(t0 + i * 60_000 + s * 1000).toISOString();
    const ev = (n, type, s, extra = {}) => ({ id: `${call}-${n}`, type, at: at(s), line, call, ...extra });
    events.push(
      ev(1, 'call.received', 0, { from: `0101234${String(1000 + i)}` }),
      ev(2, 'call.menu', 2, { digit: 1 }),
      ev(3, 'call.queued', 3, { digit: 1 }),
      ev(4, 'call.answered', 9, { agent: 'kim' }),
      ev(5, 'call.ended', 70),
    );
    if (i === 24) {
      events.push(ev(6, 'recording.ready', 72, { url: `http://127.0.0.1:${REC_PORT}/r/bc-24.wav`, duration_seconds: 20, format: 'wav' }));
    }
  }
  await post(events);
  return owner;
}

test('call history: page through, open a call timeline, play and seek a recording', { skip }, async () => {
  const owner = await company();
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/history/calls?number=010-1234');
    const rows = page.getByTestId('calls-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 25 > 50 ? 50 : 25);
    // The filter is in the URL and in the field.
    assert.equal(await page.getByTestId('filter-number').inputValue(), '010-1234');
    // Paging: a result filter keeps it short; "더 보기" appends.
    await page.goto('/#/history/calls?result=answered');
    await page.reload();
    await rows.first().waitFor();
    assert.equal(await rows.count(), 25);
    // Korean words, no raw codes.
    const firstRow = (await rows.first().textContent()) || '';
    assert.match(firstRow, /수신/);
    assert.match(firstRow, /응대/);
    assert.match(firstRow, /김민준 \(kim\)/);
    assert.match(firstRow, /1:01/, 'talk time as 분:초');
    // Open the newest call: its timeline in words, in the tenant's zone.
    await rows.first().getByTestId('open-call').click();
    const timeline = page.getByTestId('timeline-row');
    await timeline.first().waitFor();
    assert.equal(await timeline.count(), 6);
    const steps = await page.getByTestId('call-timeline').textContent();
    for (const word of ['전화 수신', '메뉴 선택', '대기열 진입', '응대 시작', '통화 종료', '녹취 저장']) assert.match(steps, new RegExp(word));
    assert.match(page.url(), /call=\d+/, 'the open call is in the URL');
    // Play, then seek: the player asks for a range past the start.
    const audio = page.getByTestId('recording-audio');
    await audio.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="recording-audio"]').readyState >= 1, null, { timeout: 15_000 });
    const duration = await audio.evaluate((a) => a.duration);
    assert.ok(Math.abs(duration - 20) < 0.5, `duration ${duration}`);
    await audio.evaluate((a) => a.play().catch(() => {}));
    await audio.evaluate(
      (a) => new Promise((resolve) => {
        a.addEventListener('seeked', resolve, { once: true });
        a.currentTime = 15;
      }),
    );
    assert.ok((await audio.evaluate((a) => a.currentTime)) >= 14.9);
    assert.ok(ranges.some((r) => /^bytes=\d+-/.test(r)), `ranges seen: ${ranges.join(', ')}`);
    // Download link for an owner.
    assert.ok(await page.getByTestId('recording-download').isVisible());
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('consultation history: the default three months, and an XLSX download', { skip }, async () => {
  const owner = await company();
  const me = await ApiClient.signIn(owner.login, owner.password);
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/history/consultations');
    await page.getByTestId('consultations-status').filter({ hasText: /없습니다|건/ }).waitFor();
    assert.ok(await page.getByTestId('export-all').isVisible());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    assert.equal(download.suggestedFilename(), 'consultations.xlsx');
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX is a ZIP');
    // The export is in the work history.
    const work = await me.call('GET', '/api/history/audit?action=consultations.export');
    assert.ok(work.items.length >= 1);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});

test('work history in words: "로그인" finds the sign-in, results and targets in Korean', { skip }, async () => {
  const { owner } = await createTenant(op, { name: `작업 시험 ${Date.now()}`, ownerLogin: uniqueLogin('work') });
  const me = await ApiClient.signIn(owner.login, owner.password);
  const agent = await me.call('POST', '/api/settings/agents', { login_id: 'agent01', name: '김민준', password: 'agent-pass-123' });
  await me.call('PATCH', `/api/settings/agents/${agent.id}`, { name: '김민준2' }).catch(() => {});
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/history/work');
    await page.getByTestId('work-row').first().waitFor();
    await page.getByTestId('action-search').fill('로그인');
    const names = await page.getByTestId('filter-action').locator('option').allTextContents();
    assert.ok(names.includes('로그인'), names.join(','));
    await page.getByTestId('filter-action').selectOption('auth.login');
    await page.getByTestId('filter-search').click();
    await page.waitForURL(/action=auth\.login/);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="work-action"]')].every((e) => e.textContent === '로그인'));
    assert.equal(await page.getByTestId('work-outcome').first().textContent(), '성공');
    // A created agent is named as the admin knows it, linked to its screen.
    await page.getByTestId('action-search').fill('');
    await page.getByTestId('filter-action').selectOption('agents.create');
    await page.getByTestId('filter-search').click();
    const target = page.getByTestId('work-target').first();
    await target.filter({ hasText: '상담사' }).waitFor();
    assert.match(await target.textContent(), /^상담사 김민준2? \(agent01\)$/);
    assert.equal(await target.locator('a').getAttribute('href'), '#/settings/agents');
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
