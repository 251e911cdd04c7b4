// live.js (UI-3, the dashboard's polling): run on a page of the app with a
// fake load() the test settles by hand and Playwright's fake clock, so every
// step is decided by the test, not by how fast the machine is.
//
// Needs SWITCHBOARD_URL (scripts/browser-test.sh provides it).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

// 14:03:21 in Seoul.
const START = new Date('2026-03-02T05:03:21Z');

/**
 * A page of the app (the login page: live.js needs no session) with a fake
 * clock paused at START and a live loop started on a fake load. In the page,
 * window.__live = { loads: [{resolve, reject, signal}], updates: [], errors: [],
 * status, controller, handle }.
 */
async function withLive(lang, opts, fn, { startHidden = false } = {}) {
  const { context, page, errors } = await openPage(browser, { locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
  try {
    await page.clock.install({ time: new Date(START.getTime() - 60_000) });
    await page.goto('/');
    await page.locator('[data-testid="page-heading"]').waitFor();
    await page.clock.pauseAt(START);
    await page.evaluate(async ([opts, startHidden]) => {
      const { startLive } = await import('/js/live.js');
      const status = document.createElement('p');
      status.dataset.testid = 'live-status';
      document.querySelector('main').append(status);
      const controller = new AbortController();
      const w = { loads: [], updates: [], errors: [], status, controller };
      window.__live = w;
      // document.hidden is the browser's; the test switches it.
      window.__hidden = startHidden;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
      w.handle = startLive({
        load: (signal) => new Promise((resolve, reject) => w.loads.push({ resolve, reject, signal })),
        onUpdate: (data) => w.updates.push(data),
        onError: (err, info) => w.errors.push({ message: String(err?.message || err), ...info }),
        signal: controller.signal,
        statusEl: status,
        timeZone: 'Asia/Seoul',
        ...opts,
      });
    }, [opts, startHidden]);
    return await fn(page, errors);
  } finally {
    await context.close();
  }
}

/** Let the page run everything already queued (promise reactions), then read the loop's state. */
async function state(page) {
  return page.evaluate(async () => {
    await new Promise((r) => {
      const c = new MessageChannel(); // not faked by the clock
      c.port1.onmessage = () => r();
      c.port2.postMessage(0);
    });
    const w = window.__live;
    return {
      loads: w.loads.length,
      updates: w.updates.slice(),
      errors: w.errors.slice(),
      text: w.status.textContent,
      liveState: w.status.dataset.liveState,
      lastSignalAborted: w.loads.length ? w.loads[w.loads.length - 1].signal.aborted : null,
    };
  });
}

const settle = (page, i, how, value) =>
  page.evaluate(([i, how, value]) => {
    const l = window.__live.loads[i];
    if (how === 'ok') l.resolve(value);
    else l.reject(new Error(value));
  }, [i, how, value]);

const setHidden = (page, hidden) =>
  page.evaluate((hidden) => {
    window.__hidden = hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

test('polls every interval without overlapping calls and shows the last update time in Korean', async () => {
  await withLive('ko', { intervalMs: 1000 }, async (page, errors) => {
    let s = await state(page);
    assert.equal(s.loads, 1, 'one call at start');
    assert.equal(s.text, '불러오는 중…');
    assert.equal(s.liveState, 'loading');

    await settle(page, 0, 'ok', { n: 1 });
    s = await state(page);
    assert.deepEqual(s.updates, [{ n: 1 }]);
    assert.equal(s.text, '마지막 갱신 14:03:21');
    assert.equal(s.liveState, 'ok');

    await page.clock.runFor(999);
    assert.equal((await state(page)).loads, 1, 'not before the interval');
    await page.clock.runFor(1);
    assert.equal((await state(page)).loads, 2, 'the next call one interval after the last one settled');

    // A slow answer: no second call while this one is pending.
    await page.clock.runFor(10_000);
    assert.equal((await state(page)).loads, 2, 'calls never overlap');
    await settle(page, 1, 'ok', { n: 2 });
    s = await state(page);
    assert.equal(s.text, '마지막 갱신 14:03:32'); // 1 s + 10 s later
    await page.clock.runFor(1000);
    assert.equal((await state(page)).loads, 3);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('backs off after failures (doubling up to the cap), shows the data as stale, and returns to the interval after a success', async () => {
  await withLive('ko', { intervalMs: 1000, maxDelayMs: 8000 }, async (page) => {
    await settle(page, 0, 'ok', { n: 1 });
    await page.clock.runFor(1000);

    // Failures: the next try waits 2 s, 4 s, 8 s, 8 s (cap).
    const waits = [2000, 4000, 8000, 8000];
    for (const [k, wait] of waits.entries()) {
      const i = k + 1;
      await settle(page, i, 'fail', `down ${i}`);
      const s = await state(page);
      assert.equal(s.liveState, 'stale');
      assert.equal(s.text, `마지막 갱신 14:03:21 · 갱신하지 못했습니다. ${wait / 1000}초 후 다시 시도합니다.`);
      assert.deepEqual(s.errors.at(-1), { message: `down ${i}`, failures: i, retryInMs: wait });
      await page.clock.runFor(wait - 1);
      assert.equal((await state(page)).loads, i + 1, `no retry before ${wait} ms`);
      await page.clock.runFor(1);
      assert.equal((await state(page)).loads, i + 2, `retry after ${wait} ms`);
    }

    // Recovery: fresh time, no stale mark, and the normal interval again.
    await settle(page, 5, 'ok', { n: 2 });
    const s = await state(page);
    assert.equal(s.liveState, 'ok');
    assert.equal(s.text, '마지막 갱신 14:03:44'); // 1 + 2 + 4 + 8 + 8 s after 14:03:21
    await page.clock.runFor(999);
    assert.equal((await state(page)).loads, 6);
    await page.clock.runFor(1);
    assert.equal((await state(page)).loads, 7);
  });
});

test('pauses while the page is hidden and fetches once at once when it is visible again', async () => {
  await withLive('ko', { intervalMs: 1000 }, async (page) => {
    await settle(page, 0, 'ok', { n: 1 });
    await setHidden(page, true);
    await page.clock.runFor(60_000);
    let s = await state(page);
    assert.equal(s.loads, 1, 'nothing fetched while hidden');
    assert.equal(s.liveState, 'paused');
    assert.equal(s.text, '마지막 갱신 14:03:21', 'the last update stays visible');

    await setHidden(page, false);
    s = await state(page);
    assert.equal(s.loads, 2, 'one call as soon as the page is visible');
    await setHidden(page, false); // a second event while that call is pending
    assert.equal((await state(page)).loads, 2, 'still one call');
    await settle(page, 1, 'ok', { n: 2 });
    await page.clock.runFor(1000);
    assert.equal((await state(page)).loads, 3, 'then the usual rhythm');

    // Hidden while a call is pending: it completes, and nothing follows.
    await setHidden(page, true);
    await settle(page, 2, 'ok', { n: 3 });
    await page.clock.runFor(60_000);
    s = await state(page);
    assert.equal(s.loads, 3);
    assert.equal(s.updates.length, 3);
  });
});

test('a live screen opened in a background tab waits until it is shown', async () => {
  await withLive(
    'ko',
    { intervalMs: 1000 },
    async (page) => {
      await page.clock.runFor(60_000);
      let s = await state(page);
      assert.equal(s.loads, 0, 'nothing fetched while hidden');
      assert.equal(s.liveState, 'paused');
      await setHidden(page, false);
      s = await state(page);
      assert.equal(s.loads, 1, 'one call once shown');
    },
    { startHidden: true },
  );
});

test("stops on the page's signal and aborts the call in flight", async () => {
  await withLive('ko', { intervalMs: 1000 }, async (page, errors) => {
    await settle(page, 0, 'ok', { n: 1 });
    await page.clock.runFor(1000);
    assert.equal((await state(page)).loads, 2);
    await page.evaluate(() => window.__live.controller.abort());
    let s = await state(page);
    assert.equal(s.lastSignalAborted, true, 'the pending call is told to stop');
    assert.equal(s.liveState, 'stopped');
    await settle(page, 1, 'fail', 'aborted');
    await setHidden(page, true);
    await setHidden(page, false);
    await page.clock.runFor(60_000);
    s = await state(page);
    assert.equal(s.loads, 2, 'no call after the signal aborted');
    assert.deepEqual(s.errors, [], 'an aborted call is not reported as a failure');
    assert.equal(s.text, '마지막 갱신 14:03:21');
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});

test('the English UI says "Last updated" with the same 24-hour time', async () => {
  await withLive('en', { intervalMs: 1000 }, async (page) => {
    await settle(page, 0, 'ok', { n: 1 });
    assert.equal((await state(page)).text, 'Last updated 14:03:21');
    await page.clock.runFor(1000);
    await settle(page, 1, 'fail', 'down');
    assert.equal((await state(page)).text, "Last updated 14:03:21 · Couldn't refresh. Trying again in 2 s.");
  });
});
