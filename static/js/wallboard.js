// The wallboard (상황판): the monitoring dashboard full-screen and read-only
// for a wall TV (1920×1080), opened by a link an owner or manager created:
// /wallboard/#<token>. No session and no navigation: the token (from the
// fragment, which the browser never sends to a server) goes to
// GET /api/dashboard/wallboard in X-Wallboard-Token. Polls like the page
// (live.js, ETag); a failed refresh keeps the last data with "연결 끊김" and
// keeps retrying (back-off up to 30 s), so network blips and server
// restarts heal by themselves. A revoked link shows that it no longer works.
import { conditionalLoader, dashboardView } from './dashboard-view.js';
import { setLang, t } from './i18n.js';
import { startLive } from './live.js';
import { h, replaceChildren } from './ui.js';

function start() {
  // Korean unless the link asks for English (…/wallboard/?lang=en#…).
  setLang(new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ko', { persist: false });
  const main = document.getElementById('main');
  const token = decodeURIComponent(location.hash.replace(/^#/, ''));
  const title = h('h1', { class: 'wallboard-title' }, t('mon.wb.title'));
  const status = h('p', { class: 'live-status', dataset: { testid: 'live-status' } });
  const gone = h('div', { class: 'alert alert-error', role: 'alert', dataset: { testid: 'wallboard-gone' } }, t('mon.wb.gone'));
  gone.hidden = true;
  const view = dashboardView({ t, wallboard: true });
  replaceChildren(main, h('header', { class: 'wallboard-header' }, title, h('div', { class: 'live-line' }, status, view.offline)), gone, view.el);
  if (!token) {
    gone.hidden = false;
    return;
  }
  startLive({
    load: conditionalLoader('/api/dashboard/wallboard', { 'X-Wallboard-Token': token }),
    onUpdate: (d) => {
      gone.hidden = true;
      view.setOffline(false);
      view.update(d);
    },
    onError: (err) => {
      gone.hidden = err?.status !== 401;
      view.setOffline(true);
    },
    intervalMs: 1000,
    statusEl: status,
  });
}

start();
