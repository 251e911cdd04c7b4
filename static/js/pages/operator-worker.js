// The worker's line on the operator's page (RUN-4): when the callback worker
// last ticked, how long it took and what it did (dialled, completed,
// retried, failed, lost calls and silent agent apps closed), a warning when
// it has stalled (no tick for 60 s), and a button that runs a tick now
// (audited as worker.tick).
//   GET /api/operator/worker → {last_tick, stalled, last_report: {duration_ms, steps: [{name, counts}]}}
//   POST /api/operator/worker/tick → the tick's report
import { pageApi } from '../api.js';
import { errorText } from '../form-errors.js';
import { timeZone } from '../session.js';
import { formatDateTime, h } from '../ui.js';

const COUNTS = ['dialled', 'completed', 'retried', 'failed', 'lost', 'closed'];

function sum(report, name) {
  return (report?.steps || []).reduce((n, s) => n + (s.counts?.[name] || 0), 0);
}

export function workerLine({ t, signal }) {
  const api = pageApi(signal);
  const text = h('span', { dataset: { testid: 'worker-status' } }, t('worker.loading'));
  const run = h('button', { type: 'button', class: 'button small', dataset: { testid: 'worker-tick' } }, t('worker.runNow'));
  const line = h('p', { class: 'worker-line', role: 'status' }, text, ' ', run);
  const show = (s) => {
    const r = s.last_report;
    const counts = COUNTS.map((c) => t('worker.count', { what: t(`worker.c.${c}`), n: String(sum(r, c)) })).join(', ');
    text.textContent = s.last_tick
      ? t('worker.line', { at: formatDateTime(s.last_tick, timeZone()), ms: String(r?.duration_ms ?? 0), counts })
      : t('worker.never');
    line.classList.toggle('warning', !!s.stalled);
    if (s.stalled) text.textContent += ` — ${t('worker.stalled')}`;
  };
  const load = async () => {
    try {
      const s = await api('GET', '/api/operator/worker');
      if (!signal.aborted) show(s);
    } catch (err) {
      if (!signal.aborted) text.textContent = errorText(err, t);
    }
  };
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      await api('POST', '/api/operator/worker/tick');
      await load();
    } catch (err) {
      if (!signal.aborted) text.textContent = errorText(err, t);
    } finally {
      run.disabled = false;
    }
  });
  load();
  return line;
}
