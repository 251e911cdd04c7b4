// Small DOM helpers shared by the pages.
//
// UI-5: nothing here (or anywhere in static/js) uses innerHTML/outerHTML/
// insertAdjacentHTML/document.write. Strings always become text nodes or
// textContent; tests/browser/static.test.mjs enforces it.

/**
 * Create an element.
 *   h('a', { href: '#/x', class: 'link', dataset: { testid: 'y' }, onclick: fn }, 'text', child)
 * Props: `class`, `text` (textContent), `dataset` (object), `on<event>` (function),
 * boolean true/false (attribute present/absent), anything else → setAttribute.
 * Children: strings/numbers become text nodes; null/false are skipped; arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.append(c);
    else el.append(document.createTextNode(String(c)));
  }
}

/** Replace all children of `el` with `children`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The page heading: one per page, focus target after navigation. */
export function pageHeading(text) {
  return h('h1', { class: 'page-title', tabindex: '-1', dataset: { testid: 'page-heading' } }, text);
}

/**
 * Render the "not built yet" placeholder for a route. Page modules that are
 * not implemented export this as their `render`:
 *   export { notBuiltPage as render } from '../ui.js';
 */
export function notBuiltPage(main, ctx) {
  const { t, route } = ctx;
  replaceChildren(
    main,
    h('header', { class: 'page-header' }, pageHeading(t(route.titleKey))),
    h(
      'section',
      { class: 'card not-built', dataset: { testid: 'not-built' } },
      h('p', { class: 'not-built-message' }, t('page.notBuilt')),
      h(
        'p',
        { class: 'requirements' },
        h('span', { class: 'requirements-label' }, `${t('page.requirements')}: `),
        h('span', { dataset: { testid: 'requirements' } }, route.reqs.join(', ')),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------
// Form and page building blocks (used by the pages).

let idSeq = 0;
/** A document-unique id with a prefix. */
export function uid(prefix = 'f') {
  return `${prefix}-${++idSeq}`;
}

/**
 * A labelled form field: <div class="field"><label for>…</label>control[hint]</div>.
 * showFieldErrors() puts a field's error at the end of this wrapper.
 */
export function field(label, control, hint) {
  if (!control.id) control.id = uid(control.name ? `in-${control.name.replace(/[^\w-]/g, '-')}` : 'in');
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'field-hint', id: uid('hint') }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** Section card with an optional heading. */
/**
 * A data table: `<table data-testid="<name>-table">` with one header row and
 * an empty `<tbody data-testid="<name>-body">` to fill. `headers` are texts
 * (made column headers) or ready `<th>` elements (e.g. a guarded actions
 * column).
 */
export function dataTable(name, headers) {
  const tbody = h('tbody', { dataset: { testid: `${name}-body` } });
  const cells = headers.map((x) => (typeof x === 'string' ? h('th', { scope: 'col' }, x) : x));
  const table = h('table', { class: 'data-table', dataset: { testid: `${name}-table` } }, h('thead', {}, h('tr', {}, ...cells)), tbody);
  return { table, tbody };
}

/**
 * Asks in the row before a destructive action: the row's `actions` give way
 * to "question · confirm · cancel" (focus on confirm; cancel puts them back
 * and focuses `opener`). Confirming disables the button and runs
 * `onConfirm(restore)`; `restore()` puts the actions back (on failure).
 */
export function confirmInRow(actions, opener, { ask, confirm, cancel, testid, onConfirm }) {
  const yes = h('button', { type: 'button', class: 'button small danger', dataset: { testid } }, confirm);
  const no = h('button', { type: 'button', class: 'button small' }, cancel);
  const box = h('div', { class: 'row-confirm', role: 'group', 'aria-label': ask }, h('span', {}, ask), yes, no);
  const restore = () => {
    if (box.isConnected) box.replaceWith(actions);
  };
  actions.replaceWith(box);
  yes.focus();
  no.addEventListener('click', () => {
    restore();
    opener.focus();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    onConfirm(restore);
  });
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, ...children);
}

/** Page header (heading + optional lead text). */
export function pageHeader(title, lead) {
  return h('header', { class: 'page-header' }, pageHeading(title), lead ? h('p', { class: 'page-lead muted' }, lead) : null);
}

/**
 * A live message area. show(text, kind) where kind is "ok" (role=status) or
 * "error" (role=alert); clear() empties it.
 */
export function messageArea(testid) {
  const el = h('div', { class: 'message-area', dataset: testid ? { testid } : undefined });
  return {
    el,
    show(text, kind = 'ok') {
      const box = h(
        'div',
        { class: kind === 'error' ? 'alert alert-error' : 'alert alert-ok', role: kind === 'error' ? 'alert' : 'status' },
        text,
      );
      replaceChildren(el, box);
      return box;
    },
    clear() {
      el.replaceChildren();
    },
  };
}

/** Parts of a date in a time zone: { year, month, day, hour, minute, second } as strings. */
function zonedParts(date, timeZone) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const out = {};
  for (const p of fmt.formatToParts(date)) out[p.type] = p.value;
  return out;
}

function validDate(value) {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "YYYY-MM-DD HH:mm:ss" of an RFC 3339 instant in `timeZone` ('' when invalid). */
export function formatDateTime(value, timeZone) {
  const d = validDate(value);
  if (!d) return value == null ? '' : String(value);
  let p;
  try {
    p = zonedParts(d, timeZone);
  } catch {
    p = zonedParts(d, 'UTC'); // unknown zone name: still show something true
  }
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "YYYY-MM-DD" of an RFC 3339 instant in `timeZone`; plain dates pass through. */
export function formatDate(value, timeZone) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const s = formatDateTime(value, timeZone);
  return s.slice(0, 10);
}

/** Translation of `key`, or `raw` when the dictionary has no such key (unknown enum values). */
export function labelOr(t, key, raw) {
  const s = t(key);
  return s === key ? String(raw ?? '') : s;
}

/**
 * A calendar date ("2026-03-01", or the date part of "2026-03-02T09:00:00+09:00")
 * in the user's language: "2026년 3월 1일 (일)" / "Sun, Mar 1, 2026".
 * `{ year: false }` leaves the year out ("3월 1일"). Unparseable input is shown as it is.
 */
export function formatLongDate(value, lang, { year = true, weekday = true } = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value ?? ''));
  if (!m) return value == null ? '' : String(value);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (lang === 'ko') {
    // Built by hand: Korean conventions regardless of the browser's ICU data.
    const md = `${Number(m[2])}월 ${Number(m[3])}일`;
    const wd = weekday ? ` (${'일월화수목금토'[d.getUTCDay()]})` : '';
    return `${year ? `${Number(m[1])}년 ` : ''}${md}${wd}`;
  }
  const opts = { timeZone: 'UTC', month: lang === 'ko' ? 'long' : 'short', day: 'numeric' };
  if (year) opts.year = 'numeric';
  if (weekday) opts.weekday = 'short';
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', opts).format(d);
}

/** A local instant "2026-03-02T09:00:00+09:00" as "2026년 3월 2일 (월) 09:00" (its own wall-clock time). */
export function formatLocalDateTime(value, lang) {
  const s = String(value ?? '');
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s);
  return m ? `${formatLongDate(m[1], lang)} ${m[2]}` : s;
}
