// Dashboard (통합대시보드) — MON-1..MON-7, UI-3.
//   GET /api/dashboard → everything the page shows (see dashboard-view.js),
//   with an ETag: a poll that finds nothing new is a 304.
// Refreshes itself by polling (live.js: once a second, never overlapping,
// paused while the tab is hidden, backing off to 30 s after failures).
// Polling rather than server-sent events: a Spin component answers a
// request and ends, so a stream would hold an instance per viewer, and a
// poll survives network blips and server restarts without reconnect logic;
// the ETag keeps a poll that finds nothing new at a few indexed reads.
// A failed refresh keeps the last good data and shows "연결 끊김"; the next
// successful one removes it.
// Owners and managers also get: a callback request per abandoned call (one
// click), the wallboard links (create / revoke; the token is shown once),
// and a warning in the header while the callback worker has stalled (no
// tick for 60 s: callbacks are not dialled, statistics not rolled up):
//   GET /api/dashboard/worker → {stalled, last_tick, stalled_after_seconds},
// checked when the page opens and every 15 s.
import { pageApi } from '../api.js';
import { conditionalLoader, dashboardView } from '../dashboard-view.js';
import { errorText } from '../form-errors.js';
import { startLive } from '../live.js';
import { can, timeZone } from '../session.js';
import { card, dataTable, formatDateTime, h, messageArea, pageHeader, replaceChildren } from '../ui.js';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const manage = can('manage');
  let live = null;

  const view = dashboardView({
    t,
    signal,
    canCallback: manage,
    onCallback: async (row) => {
      try {
        await api('POST', `/api/dashboard/abandoned/${row.id}/callback`);
      } catch (err) {
        throw new Error(errorText(err, t));
      }
      live?.refresh();
    },
  });
  const status = h('p', { class: 'live-status muted', dataset: { testid: 'live-status' } });
  const header = pageHeader(t('page.dashboard'), t('mon.lead'));
  header.append(h('div', { class: 'live-line' }, status, view.offline));
  if (manage) header.append(workerWarning(t, api, signal));

  replaceChildren(main, header, view.el, manage ? wallboardLinks(t, api, signal) : null);

  live = startLive({
    load: conditionalLoader('/api/dashboard'),
    onUpdate: (d) => {
      view.setOffline(false);
      view.update(d);
    },
    onError: (err) => {
      if (err?.status === 401) {
        api('GET', '/api/auth/me').catch(() => {}); // the session ended: the usual sign-in redirect
      }
      view.setOffline(true);
    },
    intervalMs: 1000,
    signal,
    statusEl: status,
    timeZone: timeZone(),
  });
}

/** The stalled-worker warning (owners and managers); hidden while the worker ticks. */
function workerWarning(t, api, signal) {
  const el = h('p', { class: 'alert alert-error worker-stalled', role: 'alert', hidden: true, dataset: { testid: 'worker-stalled', checked: 'no' } });
  const check = async () => {
    try {
      const s = await api('GET', '/api/dashboard/worker');
      if (signal.aborted) return;
      el.hidden = !s.stalled;
      el.textContent = !s.stalled
        ? ''
        : s.last_tick
          ? t('mon.workerStalled', { seconds: String(s.stalled_after_seconds), at: formatDateTime(s.last_tick, timeZone()) })
          : t('mon.workerNever');
      el.dataset.checked = 'yes';
    } catch {
      // The dashboard's own line says when the server cannot be reached.
    }
  };
  check();
  const timer = setInterval(check, 15000);
  signal.addEventListener('abort', () => clearInterval(timer));
  return el;
}

/** The wallboard links card (owners and managers). */
function wallboardLinks(t, api, signal) {
  const msg = messageArea('wallboard-message');
  const label = h('input', { type: 'text', name: 'label', maxlength: '50', required: true, dataset: { testid: 'wallboard-label' } });
  const labelField = h('label', {}, t('mon.wb.label'), ' ', label);
  const create = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'wallboard-create' } }, t('mon.wb.create'));
  const created = h('div', { class: 'wallboard-created', dataset: { testid: 'wallboard-created' } });
  const { table, tbody } = dataTable('wallboard-links', [t('mon.wb.label'), t('mon.wb.createdAt'), t('mon.wb.state'), h('th', { scope: 'col' }, t('mon.ab.action'))]);
  const form = h('form', { class: 'inline-form', novalidate: true }, labelField, ' ', create);

  async function load() {
    try {
      const r = await api('GET', '/api/dashboard/wallboard-links');
      if (signal.aborted) return;
      replaceChildren(
        tbody,
        r.items.map((l) => {
          const revoke = h('button', { type: 'button', class: 'button small danger', dataset: { testid: `wallboard-revoke-${l.id}` } }, t('mon.wb.revoke'));
          revoke.addEventListener('click', async () => {
            revoke.disabled = true;
            try {
              await api('DELETE', `/api/dashboard/wallboard-links/${l.id}`);
              msg.show(t('mon.wb.revoked'));
              load();
            } catch (err) {
              revoke.disabled = false;
              msg.show(errorText(err, t), 'error');
            }
          });
          return h(
            'tr',
            { dataset: { testid: `wallboard-link-${l.id}` } },
            h('th', { scope: 'row' }, l.label),
            h('td', {}, formatDateTime(l.created_at, timeZone())),
            h('td', {}, l.revoked_at ? t('mon.wb.isRevoked') : t('mon.wb.isLive')),
            h('td', {}, l.revoked_at ? null : revoke),
          );
        }),
      );
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    create.disabled = true;
    try {
      const r = await api('POST', '/api/dashboard/wallboard-links', { label: label.value });
      const url = new URL(r.url, location.origin).href;
      replaceChildren(created, h('p', {}, t('mon.wb.once')), h('p', {}, h('a', { href: url, target: '_blank', rel: 'noopener', class: 'mono wrap', dataset: { testid: 'wallboard-url' } }, url)));
      label.value = '';
      msg.clear();
      load();
    } catch (err) {
      msg.show(errorText(err, t), 'error');
    } finally {
      create.disabled = false;
    }
  });
  load();
  return card(t('mon.wb.title'), h('p', { class: 'muted' }, t('mon.wb.lead')), msg.el, form, created, h('div', { class: 'table-wrap' }, table));
}
