// Work history (작업이력) — HIST-5 = AUD-1. Every tenant role can read; the
// platform operator sees the whole platform.
//   GET /api/history/audit?user=&action=&from=&to=&cursor=&limit=
//     → {items: [{id, at, login_id, user_id, client_ip, action, target, outcome, detail}], next_cursor}
//   GET /api/history/audit/export?<same filters> → CSV download (download permission)
// Times are shown in the tenant's time zone; the filters live in the hash
// (#/history/work?user=…&from=…) so a reload keeps them.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFieldErrors, showFormErrors } from '../form-errors.js';
import { guard, timeZone } from '../session.js';
import { card, field, formatDateTime, h, messageArea, pageHeader, replaceChildren } from '../ui.js';

const FILTERS = ['user', 'action', 'from', 'to'];
const PAGE_SIZE = 50;

function query(filters, extra = {}) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') q.set(k, String(v));
  return q;
}

function pretty(value) {
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export function render(main, ctx) {
  const { t, signal, params } = ctx;
  const api = pageApi(signal);
  const tz = timeZone();
  let applied = Object.fromEntries(FILTERS.map((k) => [k, (params.get(k) || '').trim()]));
  let nextCursor = null;
  let loadSeq = 0;

  // ---- filters ------------------------------------------------------------------
  const inputs = {
    user: h('input', { name: 'user', type: 'text', autocomplete: 'off', spellcheck: 'false', value: applied.user, dataset: { testid: 'filter-user' } }),
    action: h('input', { name: 'action', type: 'text', autocomplete: 'off', spellcheck: 'false', list: 'work-actions', value: applied.action, dataset: { testid: 'filter-action' } }),
    from: h('input', { name: 'from', type: 'date', value: applied.from, dataset: { testid: 'filter-from' } }),
    to: h('input', { name: 'to', type: 'date', value: applied.to, dataset: { testid: 'filter-to' } }),
  };
  // Suggestions for the action filter: the actions seen so far on this page.
  const actionList = h('datalist', { id: 'work-actions' });
  const seenActions = new Set();
  function rememberActions(items) {
    let added = false;
    for (const it of items) {
      const a = typeof it?.action === 'string' ? it.action : '';
      if (a && !seenActions.has(a)) {
        seenActions.add(a);
        added = true;
      }
    }
    if (added) actionList.replaceChildren(...[...seenActions].sort().map((a) => h('option', { value: a })));
  }
  const searchBtn = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'filter-search' } }, t('work.search'));
  const resetBtn = h('button', { type: 'button', class: 'button', dataset: { testid: 'filter-reset' } }, t('work.reset'));
  const csv = guard(
    h('a', { class: 'button', download: '', dataset: { requires: 'download', testid: 'download-csv' } }, t('work.downloadCsv')),
  );
  const filterForm = h(
    'form',
    { class: 'form filter-form', novalidate: true, role: 'search', dataset: { testid: 'work-filters' } },
    field(t('work.user'), inputs.user),
    field(t('work.action'), inputs.action),
    field(t('work.from'), inputs.from),
    field(t('work.to'), inputs.to),
    actionList,
    h('div', { class: 'form-actions' }, searchBtn, resetBtn, csv),
  );

  // ---- table --------------------------------------------------------------------
  const tbody = h('tbody', { dataset: { testid: 'work-body' } });
  const table = h(
    'table',
    { class: 'data-table', dataset: { testid: 'work-table' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('work.time', { tz })),
        h('th', { scope: 'col' }, t('work.user')),
        h('th', { scope: 'col' }, t('work.ip')),
        h('th', { scope: 'col' }, t('work.action')),
        h('th', { scope: 'col' }, t('work.target')),
        h('th', { scope: 'col' }, t('work.outcome')),
        h('th', { scope: 'col' }, t('work.detail')),
      ),
    ),
    tbody,
  );
  const status = h('p', { class: 'muted', role: 'status', dataset: { testid: 'work-status' } });
  const msg = messageArea('work-message');
  const moreBtn = h('button', { type: 'button', class: 'button', hidden: true, dataset: { testid: 'load-more' } }, t('work.loadMore'));

  function detailCell(detail) {
    if (detail == null || (typeof detail === 'object' && Object.keys(detail).length === 0)) return h('td', {});
    let body;
    if (typeof detail === 'object' && ('before' in detail || 'after' in detail)) {
      body = h(
        'div',
        { class: 'detail-diff' },
        h('div', {}, h('p', { class: 'detail-label' }, t('work.before')), h('pre', {}, pretty(detail.before))),
        h('div', {}, h('p', { class: 'detail-label' }, t('work.after')), h('pre', {}, pretty(detail.after))),
      );
    } else {
      body = h('pre', {}, pretty(detail));
    }
    return h('td', {}, h('details', { class: 'detail' }, h('summary', {}, t('work.showDetail')), body));
  }

  function rowFor(item) {
    const outcome = Number(item.outcome);
    const ok = Number.isFinite(outcome) && outcome < 400;
    return h(
      'tr',
      { dataset: { testid: 'work-row', action: String(item.action ?? ''), login: String(item.login_id ?? '') } },
      h('td', { class: 'nowrap', title: String(item.at ?? '') }, h('time', { datetime: String(item.at ?? '') }, formatDateTime(item.at, tz))),
      h('td', { class: 'mono' }, String(item.login_id ?? '')),
      h('td', { class: 'mono' }, String(item.client_ip ?? '')),
      h('td', { class: 'mono', dataset: { testid: 'work-action' } }, String(item.action ?? '')),
      h('td', { class: 'wrap' }, String(item.target ?? '')),
      h('td', {}, h('span', { class: `outcome ${ok ? 'outcome-ok' : 'outcome-err'}` }, String(item.outcome ?? ''))),
      detailCell(item.detail),
    );
  }

  function updateCsvLink() {
    if (csv) csv.setAttribute('href', `/api/history/audit/export?${query(applied)}`);
  }

  async function load({ append = false } = {}) {
    const seq = ++loadSeq;
    msg.clear();
    status.textContent = t('page.loading');
    moreBtn.disabled = true;
    try {
      const res = await api('GET', `/api/history/audit?${query(applied, { cursor: append ? nextCursor : null, limit: PAGE_SIZE })}`);
      if (signal.aborted || seq !== loadSeq) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      const rows = items.map(rowFor);
      rememberActions(items);
      if (append) tbody.append(...rows);
      else tbody.replaceChildren(...rows);
      nextCursor = res?.next_cursor || null;
      moreBtn.hidden = !nextCursor;
      const shown = tbody.rows.length;
      status.textContent = shown ? t('work.shown', { n: shown }) : t('work.empty');
    } catch (err) {
      if (signal.aborted || seq !== loadSeq) return;
      status.textContent = '';
      if (err && err.fields && Object.keys(err.fields).length) showFormErrors(filterForm, err, t);
      else msg.show(errorText(err, t), 'error');
    } finally {
      if (!signal.aborted && seq === loadSeq) moreBtn.disabled = false;
    }
  }

  function apply(filters) {
    applied = filters;
    const q = query(applied).toString();
    history.replaceState(null, '', `#/history/work${q ? `?${q}` : ''}`);
    updateCsvLink();
    nextCursor = null;
    load();
  }

  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFieldErrors(filterForm);
    if (inputs.from.value && inputs.to.value && inputs.from.value > inputs.to.value) {
      showFieldErrors(filterForm, { message: t('form.fixErrors'), fields: { to: t('work.toBeforeFrom') } });
      return;
    }
    apply(Object.fromEntries(FILTERS.map((k) => [k, inputs[k].value.trim()])));
  });
  resetBtn.addEventListener('click', () => {
    clearFieldErrors(filterForm);
    for (const k of FILTERS) inputs[k].value = '';
    apply(Object.fromEntries(FILTERS.map((k) => [k, ''])));
  });
  moreBtn.addEventListener('click', () => load({ append: true }));

  replaceChildren(
    main,
    pageHeader(t('page.history.work'), t('work.lead')),
    card(null, filterForm),
    msg.el,
    card(null, status, h('div', { class: 'table-wrap' }, table), h('div', { class: 'table-more' }, moreBtn)),
  );
  updateCsvLink();
  load();
}
