// Polling for live screens (UI-3, MON-*): the dashboard and anything else
// that refreshes by itself.
//
//   const live = startLive({
//     load: (signal) => api('GET', '/api/dashboard/…', undefined, { signal }),
//     onUpdate: (data, at) => draw(data),
//     intervalMs: 1000,
//     signal: ctx.signal,            // the page visit's signal: stops the loop
//     statusEl: someParagraph,       // optional: "마지막 갱신 14:03:21"
//     timeZone: timeZone(),          // optional: zone of that time (default: the browser's)
//   });
//
// - load(signal) is called once at start and then `intervalMs` after the
//   previous call settled: calls never overlap. Its signal aborts when the
//   loop stops (the page's signal aborted, or live.stop()).
// - While the document is hidden (another tab, minimised) nothing is
//   fetched; when it becomes visible again one call is made at once and the
//   rhythm resumes from there.
// - After a failure the next call waits intervalMs × 2^failures, at most
//   maxDelayMs (1 s → 2, 4, 8, 16, 30, 30 … s); one success returns to
//   intervalMs. onError(err, { failures, retryInMs }) is told of each failure
//   (an aborted call is not a failure and stops nothing by itself).
// - statusEl, when given, shows the last successful update ("마지막 갱신
//   14:03:21" / "Last updated 14:03:21", 24-hour time) and, while backing off,
//   that the data is stale and when the next try is. Its data-live-state
//   attribute is loading | ok | stale | paused | stopped (CSS colours "stale").
//   The text changes every interval, so it should not be an aria-live region;
//   a page that wants failures announced does that from onError.
// - live.refresh() asks for a call now (after the one in flight, if any).
//
// No other DOM: the caller draws the data.
import { t } from './i18n.js';

const CLOCK_OPTIONS = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };

/** "14:03:21": a time of day, 24-hour clock as Korean admins read it, in `timeZone`. */
export function formatClock(date, timeZone) {
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat('ko-KR', { ...CLOCK_OPTIONS, timeZone });
  } catch {
    fmt = new Intl.DateTimeFormat('ko-KR', CLOCK_OPTIONS); // unknown zone name: the browser's
  }
  return fmt.format(date);
}

/**
 * Start polling. Returns { refresh(), stop(), lastUpdate (Date|null), failures }.
 * @param {{
 *   load: (signal: AbortSignal) => Promise<any>,
 *   onUpdate?: (data: any, at: Date) => void,
 *   onError?: (err: any, info: {failures: number, retryInMs: number}) => void,
 *   intervalMs?: number, maxDelayMs?: number,
 *   signal?: AbortSignal, statusEl?: HTMLElement|null, timeZone?: string,
 * }} opts
 */
export function startLive({ load, onUpdate, onError, intervalMs = 1000, maxDelayMs = 30_000, signal, statusEl = null, timeZone } = {}) {
  if (typeof load !== 'function') throw new TypeError('startLive: load must be a function');
  const stopper = new AbortController();
  let timer = null;
  let inFlight = false;
  let again = false; // refresh() asked while a call was in flight
  let failures = 0;
  let lastUpdate = null;
  let retryInMs = 0;

  const handle = {
    refresh,
    stop,
    get lastUpdate() {
      return lastUpdate;
    },
    get failures() {
      return failures;
    },
  };

  function show(state) {
    if (!statusEl) return;
    statusEl.dataset.liveState = state;
    const parts = [];
    if (lastUpdate) parts.push(t('live.updated', { time: formatClock(lastUpdate, timeZone) }));
    if (state === 'stale') parts.push(t('live.retrying', { seconds: Math.max(1, Math.ceil(retryInMs / 1000)) }));
    if (!parts.length && state === 'loading') parts.push(t('page.loading'));
    statusEl.textContent = parts.join(' · ');
  }

  function clearTimer() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule(ms) {
    clearTimer();
    timer = setTimeout(tick, ms);
  }

  async function tick() {
    timer = null;
    if (stopper.signal.aborted || inFlight) return;
    if (document.hidden) {
      show('paused'); // visibilitychange brings it back
      return;
    }
    inFlight = true;
    again = false;
    let loaded = false;
    try {
      const data = await load(stopper.signal);
      if (stopper.signal.aborted) return;
      loaded = true;
      const at = new Date();
      onUpdate?.(data, at);
      failures = 0;
      lastUpdate = at;
      show('ok');
    } catch (err) {
      if (stopper.signal.aborted) return;
      if (loaded) console.error('live: onUpdate failed', err); // a drawing bug: retried like a failed load
      failures += 1;
      retryInMs = Math.min(intervalMs * 2 ** failures, maxDelayMs);
      show('stale');
      try {
        onError?.(err, { failures, retryInMs });
      } catch (e) {
        console.error('live: onError failed', e);
      }
    } finally {
      inFlight = false;
    }
    if (stopper.signal.aborted) return;
    if (document.hidden) {
      if (statusEl) statusEl.dataset.liveState = 'paused';
      return;
    }
    schedule(again ? 0 : failures ? retryInMs : intervalMs);
  }

  /** Fetch now; if a call is in flight, right after it. */
  function refresh() {
    if (stopper.signal.aborted) return;
    if (inFlight) {
      again = true;
    } else {
      clearTimer();
      tick();
    }
  }

  function stop() {
    if (stopper.signal.aborted) return;
    stopper.abort();
    clearTimer();
    if (statusEl) statusEl.dataset.liveState = 'stopped';
  }

  function onVisibility() {
    if (document.hidden) {
      clearTimer();
      if (statusEl && !inFlight) statusEl.dataset.liveState = 'paused';
    } else if (!inFlight) {
      clearTimer();
      tick(); // one call at once, then the usual rhythm
    }
  }

  if (signal?.aborted) {
    stop();
    return handle;
  }
  signal?.addEventListener('abort', stop, { once: true });
  document.addEventListener('visibilitychange', onVisibility, { signal: stopper.signal });
  show('loading');
  tick();
  return handle;
}
