// What the service-lookup pages (HIST-1..4) share: a filter form whose
// values live in the URL (#/history/calls?number=…&from=…, so a reload or a
// shared link keeps them), a table paged by the server's keyset cursor
// ("더 보기" appends the next page), and the formats these pages show:
// times in the tenant's zone, durations as 분:초, numbers with hyphens.
import { pageApi } from './api.js';
import { clearFieldErrors, errorText, showFieldErrors, showFormErrors } from './form-errors.js';
import { timeZone } from './session.js';
import { card, field, formatDateTime, h, messageArea, pageHeader, replaceChildren } from './ui.js';

/** Unix milliseconds as "YYYY-MM-DD HH:mm:ss" in the tenant's zone. */
export function fmtMs(ms, tz = timeZone()) {
  if (ms == null) return '';
  return formatDateTime(new Date(Number(ms)).toISOString(), tz);
}

/** A duration in milliseconds as 분:초 ("3:07"); '' when unknown. */
export function fmtDuration(ms) {
  if (ms == null) return '';
  const s = Math.floor(Number(ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Stored digits as people read them: 010-1234-5678, 02-123-4567, 1588-1234. */
export function fmtNumber(n) {
  const d = String(n ?? '');
  if (!/^\d+$/.test(d)) return d;
  if (d.startsWith('02')) return d.length === 9 ? `02-${d.slice(2, 5)}-${d.slice(5)}` : d.length === 10 ? `02-${d.slice(2, 6)}-${d.slice(6)}` : d;
  if (/^1[568]/.test(d) && d.length === 8) return `${d.slice(0, 4)}-${d.slice(4)}`;
  if (d.startsWith('0') && d.length === 11) return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  if (d.startsWith('0') && d.length === 10) return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  return d;
}

/** Options for a select: [['', all], [value, label], …]. */
export function options(t, pairs) {
  return [['', t('hist.any')], ...pairs];
}

/**
 * Builds a lookup page.
 *   spec.path      the page's hash path ('/history/calls')
 *   spec.api       the list endpoint
 *   spec.title, spec.lead
 *   spec.filters   [{ name, label, type: 'text'|'date'|'select', options?: () => [[v, label]], hint? }]
 *   spec.columns   [{ label, cell: (item) => Node|string, className? }]
 *   spec.testid    prefix of the data-testid attributes
 *   spec.selectable  rows get a checkbox; spec.toolbar(selectedIds, applied) gives extra controls
 *   spec.above     elements shown between the filters and the table (a detail panel)
 *   spec.extra     () => extra query parameters not in the form (e.g. all=1)
 * Returns { reload, applied: () => filters, selected: () => ids }.
 */
export function lookupPage(main, ctx, spec) {
  const { t, signal, params } = ctx;
  const api = pageApi(signal);
  const names = spec.filters.map((f) => f.name);
  let applied = Object.fromEntries(names.map((k) => [k, (params.get(k) || '').trim()]));
  let nextCursor = null;
  let loadSeq = 0;
  const selected = new Map();

  const inputs = {};
  const fields = spec.filters.map((f) => {
    let el;
    if (f.type === 'select') {
      el = h('select', { name: f.name, dataset: { testid: `filter-${f.name}` } });
      const fill = () => {
        const opts = f.options();
        el.replaceChildren(...opts.map(([v, label]) => h('option', { value: v }, label)));
        el.value = applied[f.name] || '';
      };
      fill();
      f.refill = fill;
    } else {
      el = h('input', {
        name: f.name,
        type: f.type === 'date' ? 'date' : 'text',
        autocomplete: 'off',
        spellcheck: 'false',
        inputmode: f.inputmode,
        value: applied[f.name],
        dataset: { testid: `filter-${f.name}` },
      });
    }
    inputs[f.name] = el;
    return field(f.label, el, f.hint);
  });
  const searchBtn = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'filter-search' } }, t('work.search'));
  const resetBtn = h('button', { type: 'button', class: 'button', dataset: { testid: 'filter-reset' } }, t('work.reset'));
  const toolbar = h('div', { class: 'form-actions' }, searchBtn, resetBtn);
  const form = h('form', { class: 'form filter-form', novalidate: true, role: 'search', dataset: { testid: `${spec.testid}-filters` } }, ...fields, toolbar);

  const tbody = h('tbody', { dataset: { testid: `${spec.testid}-body` } });
  const allBox = spec.selectable ? h('input', { type: 'checkbox', 'aria-label': t('hist.selectAll'), dataset: { testid: 'select-all' } }) : null;
  const table = h(
    'table',
    { class: 'data-table', dataset: { testid: `${spec.testid}-table` } },
    h('thead', {}, h('tr', {}, allBox ? h('th', { scope: 'col' }, allBox) : null, ...spec.columns.map((c) => h('th', { scope: 'col' }, c.label)))),
    tbody,
  );
  const status = h('p', { class: 'muted', role: 'status', dataset: { testid: `${spec.testid}-status` } });
  const msg = messageArea(`${spec.testid}-message`);
  const moreBtn = h('button', { type: 'button', class: 'button', hidden: true, dataset: { testid: 'load-more' } }, t('work.loadMore'));
  const extraTools = h('div', { class: 'form-actions' });

  function query(extra = {}) {
    const q = new URLSearchParams();
    for (const k of names) if (applied[k]) q.set(k, applied[k]);
    for (const [k, v] of Object.entries(spec.extra ? spec.extra() : {})) if (v) q.set(k, v);
    for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') q.set(k, String(v));
    return q;
  }

  function refreshTools() {
    if (spec.toolbar) extraTools.replaceChildren(...spec.toolbar([...selected.keys()], query()).filter(Boolean));
  }

  function rowFor(item) {
    const cells = spec.columns.map((c) => {
      const v = c.cell(item);
      return h('td', { class: c.className || '' }, v);
    });
    let box = null;
    if (spec.selectable) {
      const cb = h('input', { type: 'checkbox', 'aria-label': t('hist.selectRow'), dataset: { testid: 'select-row' } });
      cb.checked = selected.has(item.id);
      cb.addEventListener('change', () => {
        if (cb.checked) selected.set(item.id, item);
        else selected.delete(item.id);
        refreshTools();
      });
      box = h('td', {}, cb);
    }
    const tr = h('tr', { dataset: { testid: `${spec.testid}-row`, id: String(item.id) } }, box, ...cells);
    return tr;
  }

  async function load({ append = false } = {}) {
    const seq = ++loadSeq;
    msg.clear();
    status.textContent = t('page.loading');
    moreBtn.disabled = true;
    try {
      const res = await api('GET', `${spec.api}?${query({ cursor: append ? nextCursor : null })}`);
      if (signal.aborted || seq !== loadSeq) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      const rows = items.map(rowFor);
      if (append) tbody.append(...rows);
      else tbody.replaceChildren(...rows);
      nextCursor = res?.next_cursor || null;
      moreBtn.hidden = !nextCursor;
      const shown = tbody.rows.length;
      status.textContent = shown ? t('work.shown', { n: shown }) : t('hist.empty');
      if (spec.loaded) spec.loaded(res);
    } catch (err) {
      if (signal.aborted || seq !== loadSeq) return;
      status.textContent = '';
      if (err && err.fields && Object.keys(err.fields).length) showFormErrors(form, err, t);
      else msg.show(errorText(err, t), 'error');
    } finally {
      if (!signal.aborted && seq === loadSeq) moreBtn.disabled = false;
    }
  }

  function writeUrl() {
    const q = query(spec.urlExtra ? spec.urlExtra() : {}).toString();
    history.replaceState(null, '', `#${spec.path}${q ? `?${q}` : ''}`);
  }

  function apply(filters) {
    applied = filters;
    selected.clear();
    writeUrl();
    nextCursor = null;
    refreshTools();
    load();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    if (inputs.from && inputs.to && inputs.from.value && inputs.to.value && inputs.from.value > inputs.to.value) {
      showFieldErrors(form, { message: t('form.fixErrors'), fields: { to: t('work.toBeforeFrom') } });
      return;
    }
    apply(Object.fromEntries(names.map((k) => [k, inputs[k].value.trim()])));
  });
  resetBtn.addEventListener('click', () => {
    clearFieldErrors(form);
    for (const k of names) inputs[k].value = '';
    apply(Object.fromEntries(names.map((k) => [k, ''])));
  });
  moreBtn.addEventListener('click', () => load({ append: true }));
  if (allBox) {
    allBox.addEventListener('change', () => {
      for (const cb of tbody.querySelectorAll('input[type="checkbox"]')) {
        if (cb.checked !== allBox.checked) {
          cb.checked = allBox.checked;
          cb.dispatchEvent(new Event('change'));
        }
      }
    });
  }

  replaceChildren(
    main,
    pageHeader(spec.title, spec.lead),
    card(null, form),
    msg.el,
    ...(spec.above || []),
    card(null, extraTools, status, h('div', { class: 'table-wrap' }, table), h('div', { class: 'table-more' }, moreBtn)),
  );
  refreshTools();
  load();
  return {
    reload: () => {
      nextCursor = null;
      load();
    },
    writeUrl,
    refill: () => spec.filters.forEach((f) => f.refill && f.refill()),
    query,
    applied: () => applied,
  };
}

/** The tenant's agents and queues for the filter selects (loaded once per page). */
export async function loadChoices(api) {
  const [ag, mn] = await Promise.all([
    api('GET', '/api/settings/agents').catch(() => null),
    api('GET', '/api/settings/menus').catch(() => null),
  ]);
  const agents = (Array.isArray(ag?.items) ? ag.items : []).map((a) => [String(a.id), `${a.name} (${a.login_id})`]);
  const queues = (Array.isArray(mn?.items) ? mn.items : [])
    .filter((m) => m.kind === 'agents')
    .sort((x, y) => x.digit - y.digit)
    .map((m) => [String(m.digit), `${m.digit}. ${m.queue}`]);
  return { agents, queues };
}
