// Work history (작업이력) — HIST-5 = AUD-1. Every tenant role can read; the
// platform operator sees the whole platform.
//   GET /api/history/audit?user=&action=&from=&to=&cursor=&limit=
//     → {items: [{id, at, login_id, user_id, client_ip, action, target, outcome, detail}], next_cursor}
//   GET /api/history/audit/export?<same filters> → CSV download (download permission)
// Times are shown in the tenant's time zone; the filters live in the hash
// (#/history/work?user=…&from=…) so a reload keeps them.
// In words (HIST-5): actions by name in the user's language, picked from a
// list that a word search narrows ("로그인" finds 로그인, 상담사 앱 로그인 …);
// targets by the name the server resolved (target_name) or the settings
// screen a path belongs to, linked to that screen; results as 성공 / 거부됨 /
// 권한 없음 with the reason (the error's text); before/after as a list of
// changed fields with their labels, raw JSON behind a toggle; the operator
// gets a company column and filter.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFieldErrors, showFormErrors } from '../form-errors.js';
import { guard, isOperator, timeZone } from '../session.js';
import { card, field, formatDateTime, h, labelOr, messageArea, pageHeader, replaceChildren } from '../ui.js';
import ko from '../i18n/ko.js';

const FILTERS = ['user', 'action', 'from', 'to', 'tenant_id'];
const PAGE_SIZE = 50;

function query(filters, extra = {}) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') q.set(k, String(v));
  return q;
}

/** Every action with a name, from the dictionary's keys (the same in both languages). */
const ACTIONS = Object.keys(ko)
  .filter((k) => k.startsWith('audit.action.'))
  .map((k) => k.slice('audit.action.'.length));

/** Settings screens an API path belongs to, and where they are. */
const PATHS = [
  ['/api/settings/holidays', 'audit.screen.holidays', '#/settings/ars'],
  ['/api/settings/hours', 'audit.screen.hours', '#/settings/ars'],
  ['/api/settings/ars', 'page.settings.ars', '#/settings/ars'],
  ['/api/settings/menus', 'audit.screen.menus', '#/settings/ars'],
  ['/api/settings/audio', 'audit.screen.audio', '#/settings/ars'],
  ['/api/settings/agents', 'page.settings.agents', '#/settings/agents'],
  ['/api/settings/consultation-types', 'page.settings.consultationTypes', '#/settings/consultation-types'],
  ['/api/settings/work', 'page.settings.work', '#/settings/work'],
  ['/api/settings/access', 'page.settings.access', '#/settings/access'],
  ['/api/settings/contract', 'page.settings.contract', '#/settings/contract'],
  ['/api/users', 'page.admin.users', '#/admin/users'],
  ['/api/history/calls', 'page.history.calls', '#/history/calls'],
  ['/api/history/consultations', 'page.history.consultations', '#/history/consultations'],
  ['/api/history/recordings', 'page.history.consultations', '#/history/consultations'],
  ['/api/history/callbacks', 'page.history.callbacks', '#/history/callbacks'],
  ['/api/history/agent-sessions', 'page.history.agentLogins', '#/history/agent-logins'],
  ['/api/history/audit', 'page.history.work', '#/history/work'],
];
/** Object targets (`agent:8`) and their screens. */
const KINDS = {
  agent: ['audit.kind.agent', '#/settings/agents'],
  user: ['audit.kind.user', '#/admin/users'],
  menu: ['audit.kind.menu', '#/settings/ars'],
  holiday: ['audit.kind.holiday', '#/settings/ars'],
  consultation_type: ['audit.kind.consultationType', '#/settings/consultation-types'],
  audio: ['audit.kind.audio', '#/settings/ars'],
  call: ['audit.kind.call', '#/history/calls?call='],
  callback: ['audit.kind.callback', '#/history/callbacks'],
};

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
    action: h('select', { name: 'action', dataset: { testid: 'filter-action' } }),
    from: h('input', { name: 'from', type: 'date', value: applied.from, dataset: { testid: 'filter-from' } }),
    to: h('input', { name: 'to', type: 'date', value: applied.to, dataset: { testid: 'filter-to' } }),
    tenant_id: h('select', { name: 'tenant_id', dataset: { testid: 'filter-tenant' } }, h('option', { value: '' }, t('hist.any'))),
  };
  const actionName = (a) => labelOr(t, `audit.action.${a}`, a);
  // The action picker: every action by name, grouped by area; the word
  // search narrows it to the names containing the words.
  const actionSearch = h('input', { type: 'search', autocomplete: 'off', placeholder: t('audit.findAction'), 'aria-label': t('audit.findAction'), dataset: { testid: 'action-search' } });
  function fillActions(words) {
    const w = (words || '').trim().toLowerCase();
    const keep = ACTIONS.filter((a) => !w || actionName(a).toLowerCase().includes(w) || a.includes(w));
    const current = inputs.action.value || applied.action;
    inputs.action.replaceChildren(
      h('option', { value: '' }, w ? t('audit.matching', { n: keep.length }) : t('hist.any')),
      ...keep.sort((x, y) => actionName(x).localeCompare(actionName(y))).map((a) => h('option', { value: a }, actionName(a))),
    );
    if (keep.includes(current)) inputs.action.value = current;
    else if (w && keep.length) inputs.action.value = keep[0];
  }
  fillActions('');
  inputs.action.value = applied.action;
  actionSearch.addEventListener('input', () => fillActions(actionSearch.value));
  const operator = isOperator();
  if (operator) {
    api('GET', '/api/operator/tenants')
      .then((res) => {
        if (signal.aborted) return;
        const items = Array.isArray(res?.items) ? res.items : Array.isArray(res?.tenants) ? res.tenants : [];
        inputs.tenant_id.append(...items.map((x) => h('option', { value: String(x.id) }, x.name)));
        inputs.tenant_id.value = applied.tenant_id;
      })
      .catch(() => {});
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
    field(t('audit.findAction'), actionSearch),
    field(t('work.action'), inputs.action),
    field(t('work.from'), inputs.from),
    field(t('work.to'), inputs.to),
    operator ? field(t('audit.company'), inputs.tenant_id) : null,
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
        operator ? h('th', { scope: 'col' }, t('audit.company')) : null,
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

  const fieldName = (k) => labelOr(t, `audit.field.${k}`, k);
  const show = (v) => (v == null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

  /** The changed fields of before/after, each with its label. */
  function changes(before, after) {
    const b = before && typeof before === 'object' && !Array.isArray(before) ? before : { value: before };
    const a = after && typeof after === 'object' && !Array.isArray(after) ? after : { value: after };
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => [k, b[k], a[k]]);
  }

  function detailCell(detail) {
    if (detail == null || (typeof detail === 'object' && Object.keys(detail).length === 0)) return h('td', {});
    const raw = h('details', { class: 'detail raw' }, h('summary', {}, t('audit.rawJson')), h('pre', {}, pretty(detail)));
    let body;
    if (typeof detail === 'object' && ('before' in detail || 'after' in detail)) {
      const list = changes(detail.before, detail.after);
      body = list.length
        ? h('table', { class: 'data-table changes', dataset: { testid: 'change-list' } },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('audit.fieldCol')), h('th', { scope: 'col' }, t('work.before')), h('th', { scope: 'col' }, t('work.after')))),
          h('tbody', {}, ...list.map(([k, x, y]) => h('tr', { dataset: { field: k } }, h('th', { scope: 'row' }, fieldName(k)), h('td', { class: 'wrap' }, show(x)), h('td', { class: 'wrap' }, show(y))))))
        : h('p', { class: 'muted' }, t('audit.noChange'));
    } else {
      body = h('dl', { class: 'summary' }, ...Object.entries(detail).flatMap(([k, v]) => [h('dt', {}, fieldName(k)), h('dd', { class: 'wrap' }, show(v))]));
    }
    return h('td', {}, h('details', { class: 'detail' }, h('summary', {}, t('work.showDetail')), body, raw));
  }

  /** The target as the admin knows it, linked to its screen. */
  function targetCell(item) {
    const target = String(item.target ?? '');
    const m = /^([a-z_]+):(\d+)$/.exec(target);
    if (m && KINDS[m[1]]) {
      const [kindKey, href] = KINDS[m[1]];
      const name = item.target_name || `#${m[2]}`;
      return h('a', { href: href.endsWith('=') ? `${href}${m[2]}` : href, title: target }, `${t(kindKey)} ${name}`);
    }
    const path = PATHS.find(([p]) => target === p || target.startsWith(`${p}/`) || target.startsWith(`${p}?`));
    if (path) return h('a', { href: path[2], title: target }, t(path[1]));
    if (target.startsWith('login:')) return `${t('audit.kind.login')} ${target.slice(6)}`;
    return labelOr(t, `audit.target.${target}`, target);
  }

  /** 성공 / 거부됨 / 권한 없음 …, with the reason's text. */
  function outcomeCell(item) {
    const code = Number(item.outcome);
    const ok = Number.isFinite(code) && code < 400;
    const word = ok ? t('audit.ok')
      : code === 401 ? t('audit.unauthenticated')
        : code === 403 ? t('audit.forbidden')
          : code === 404 ? t('audit.notFound')
            : code >= 500 ? t('audit.failed') : t('audit.refused');
    const reason = item.reason ? labelOr(t, `error.${item.reason}`, item.reason) : '';
    return h('span', { class: `outcome ${ok ? 'outcome-ok' : 'outcome-err'}`, title: `${item.outcome}${item.reason ? ` ${item.reason}` : ''}` },
      word, reason ? h('span', { class: 'muted' }, ` — ${reason}`) : null);
  }

  function rowFor(item) {
    return h(
      'tr',
      { dataset: { testid: 'work-row', action: String(item.action ?? ''), login: String(item.login_id ?? '') } },
      h('td', { class: 'nowrap', title: String(item.at ?? '') }, h('time', { datetime: String(item.at ?? '') }, formatDateTime(item.at, tz))),
      operator ? h('td', { dataset: { testid: 'work-company' } }, String(item.tenant_name ?? t('audit.platform'))) : null,
      h('td', { class: 'mono' }, String(item.login_id ?? '')),
      h('td', { class: 'mono' }, String(item.client_ip ?? '')),
      h('td', { title: String(item.action ?? ''), dataset: { testid: 'work-action' } }, actionName(item.action)),
      h('td', { class: 'wrap', dataset: { testid: 'work-target' } }, targetCell(item)),
      h('td', { dataset: { testid: 'work-outcome' } }, outcomeCell(item)),
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
    actionSearch.value = '';
    fillActions('');
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
