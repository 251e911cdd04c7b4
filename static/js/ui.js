// Small DOM helpers shared by the pages.
//
// UI-5: nothing here (or anywhere in static/js) uses innerHTML/outerHTML/
// insertAdjacentHTML/document.write. Strings always become text nodes or
// textContent; tests/browser/no-html-injection.test.mjs enforces it.

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
