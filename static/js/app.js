// Switchboard admin UI shell: layout, navigation, hash router, language
// switch, the signed-in user in the header, and the API health footer. Pages
// live in ./pages/<module>.js and export render(main, ctx) (optionally
// returning a cleanup function). ctx.signal is an AbortSignal for this visit
// of the page: the router aborts it when the user navigates away (or the
// page is re-rendered, e.g. on a language switch), which cancels the page's
// pending reads (api.js pageApi), stops its live polling (live.js) and
// destroys its charts (chart.js). After an await, a page checks
// `signal.aborted` before touching the screen.
//
// Sessions (AUTH-3): at start the app asks GET /api/auth/me; signed out, every
// route shows the login page (#/login?next=<wanted page>); any later 401 sends
// the user back there. The nav shows only pages the user may open
// (session.js routeAllowed), and every page is passed through
// enforceRequires() so controls marked data-requires need their permission.
import { api } from './api.js';
import { detectLang, getLang, onLangChange, setLang, t } from './i18n.js';
import { NAV, findRoute, parseHash } from './routes.js';
import {
  defaultPath,
  enforceRequires,
  loadSession,
  logout,
  onSessionChange,
  onSessionExpired,
  routeAllowed,
  session,
  signedIn,
} from './session.js';
import { h, labelOr, pageHeading, replaceChildren } from './ui.js';

const NARROW_QUERY = '(max-width: 899.98px)';

const els = {
  nav: document.getElementById('app-nav'),
  main: document.getElementById('main'),
  navToggle: document.getElementById('nav-toggle'),
  langButtons: [...document.querySelectorAll('[data-testid="lang-switch"] button[data-lang]')],
  health: document.querySelector('[data-testid="api-health"]'),
  skip: document.querySelector('.skip-link'),
  userArea: document.querySelector('[data-testid="user-area"]'),
  brand: document.querySelector('[data-testid="brand"]'),
};

// ---------------------------------------------------------------------------
// Static text in index.html: data-i18n="key" sets textContent,
// data-i18n-attr="attr:key[,attr:key]" sets attributes.

function applyStaticText() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(',')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
  for (const b of els.langButtons) b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
}

// ---------------------------------------------------------------------------
// Navigation

function buildNav() {
  const visible = NAV.map((g) => ({ ...g, items: g.items.filter((item) => routeAllowed(item)) })).filter(
    (g) => g.items.length > 0,
  );
  const groups = visible.map((g) => {
    const labelId = `nav-group-${g.id}`;
    return h(
      'li',
      { class: 'nav-group', dataset: { group: g.id } },
      h('span', { class: 'nav-group-title', id: labelId }, t(g.labelKey)),
      h(
        'ul',
        { class: 'nav-items', 'aria-labelledby': labelId },
        g.items.map((item) =>
          h(
            'li',
            {},
            h(
              'a',
              { class: 'nav-link', href: `#${item.path}`, dataset: { testid: `nav-${item.module}`, path: item.path } },
              h('span', { class: 'nav-link-text' }, t(item.titleKey)),
              item.operatorOnly ? h('span', { class: 'badge' }, t('nav.operatorOnly')) : null,
            ),
          ),
        ),
      ),
    );
  });
  replaceChildren(els.nav, h('ul', { class: 'nav-groups' }, groups));
  markActive(currentPath);
}

function markActive(path) {
  for (const a of els.nav.querySelectorAll('a.nav-link')) {
    if (a.dataset.path === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------
// Header: the signed-in user (name, role), account link and sign-out button.

function renderUserArea() {
  const { user } = session();
  document.body.classList.toggle('signed-out', !user);
  document.body.classList.toggle('signed-in', !!user);
  els.brand.setAttribute('href', `#${user ? defaultPath() : '/login'}`);
  if (!user) {
    replaceChildren(
      els.userArea,
      h('span', { class: 'user-avatar', 'aria-hidden': 'true' }),
      h('span', { class: 'user-name' }, t('header.notSignedIn')),
    );
    return;
  }
  const signOut = h(
    'button',
    { type: 'button', class: 'header-button', dataset: { testid: 'sign-out' } },
    t('header.signOut'),
  );
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try {
      await logout();
    } catch (e) {
      console.warn('logout failed', e); // the local session is gone either way
    }
    location.hash = '#/login';
  });
  replaceChildren(
    els.userArea,
    h('span', { class: 'user-avatar', 'aria-hidden': 'true' }),
    h(
      'a',
      { class: 'user-link', href: '#/account', dataset: { testid: 'account-link' }, title: t('page.account') },
      h('span', { class: 'user-name', dataset: { testid: 'user-name' } }, String(user.name || user.login_id || '')),
      h('span', { class: 'user-role', dataset: { testid: 'user-role' } }, labelOr(t, `role.${user.role}`, user.role)),
    ),
    signOut,
  );
}

function setNavOpen(open) {
  document.body.classList.toggle('nav-open', open);
  els.navToggle.setAttribute('aria-expanded', String(open));
}

// ---------------------------------------------------------------------------
// Router

let currentPath = null;
let cleanup = null;
let pageVisit = null; // AbortController of the page on screen
let renderSeq = 0;

/** End the current page visit: abort its signal, then run its cleanup function. */
function runCleanup() {
  pageVisit?.abort();
  pageVisit = null;
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch (e) {
      console.warn('page cleanup failed', e);
    }
  }
  cleanup = null;
}

function notFound(path) {
  replaceChildren(
    els.main,
    h('header', { class: 'page-header' }, pageHeading(t('page.notFound.title'))),
    h(
      'section',
      { class: 'card', dataset: { testid: 'not-found' } },
      h('p', {}, t('page.notFound.body', { path })),
      h('p', {}, h('a', { href: `#${signedIn() ? defaultPath() : '/login'}` }, t('page.notFound.back'))),
    ),
  );
  document.title = `${t('page.notFound.title')} · ${t('app.name')}`;
}

/**
 * Render the page for the current hash.
 * @param {{focus?: boolean}} opts focus the page heading afterwards (after a navigation)
 */
function forbidden(r) {
  replaceChildren(
    els.main,
    h('header', { class: 'page-header' }, pageHeading(t(r.titleKey))),
    h(
      'section',
      { class: 'card', dataset: { testid: 'forbidden' } },
      h('p', {}, t('page.forbidden')),
      h('p', {}, h('a', { href: `#${defaultPath()}` }, t('page.forbidden.back'))),
    ),
  );
  document.title = `${t(r.titleKey)} · ${t('app.name')}`;
}

let sessionReady = false;

async function route({ focus = false } = {}) {
  if (!sessionReady) return; // init() routes once /api/auth/me has answered
  let { path, params } = parseHash(location.hash);
  if (!signedIn()) {
    if (path !== '/login') {
      // Remember where the user wanted to go.
      const wanted = path && path !== '/' ? `${path}${params.toString() ? `?${params}` : ''}` : '';
      const target = wanted ? `/login?next=${encodeURIComponent(wanted)}` : '/login';
      history.replaceState(null, '', `#${target}`);
      ({ path, params } = parseHash(`#${target}`));
    }
  } else if (path === '' || path === '/' || path === '/login') {
    path = defaultPath();
    history.replaceState(null, '', `#${path}`);
    params = new URLSearchParams();
  }
  const seq = ++renderSeq;
  currentPath = path;
  markActive(path);
  if (focus && window.matchMedia(NARROW_QUERY).matches) setNavOpen(false); // navigated from the open nav panel

  const r = findRoute(path);
  runCleanup();
  if (!r) {
    notFound(path);
  } else if (!routeAllowed(r)) {
    forbidden(r);
  } else {
    document.title = `${t(r.titleKey)} · ${t('app.name')}`;
    els.main.setAttribute('aria-busy', 'true');
    const visit = new AbortController();
    pageVisit = visit;
    try {
      const mod = await import(`./pages/${r.module}.js`);
      if (seq !== renderSeq) return; // a newer navigation won (and aborted `visit`)
      const ctx = { route: r, params, t, lang: getLang(), signal: visit.signal };
      const c = (await mod.render(els.main, ctx)) || null;
      if (seq !== renderSeq) {
        if (typeof c === 'function') c(); // superseded while rendering
        return;
      }
      cleanup = c;
      enforceRequires(els.main);
    } catch (e) {
      if (seq !== renderSeq) return;
      console.error(`page ${r.module} failed`, e);
      replaceChildren(
        els.main,
        h('header', { class: 'page-header' }, pageHeading(t(r.titleKey))),
        h('section', { class: 'card error', role: 'alert' }, h('p', {}, t('page.loadError')), h('p', { class: 'muted' }, String(e?.message || e))),
      );
    } finally {
      if (seq === renderSeq) els.main.removeAttribute('aria-busy');
    }
  }
  if (focus && seq === renderSeq) {
    const heading = els.main.querySelector('[data-testid="page-heading"]');
    (heading || els.main).focus({ preventScroll: false });
  }
}

// ---------------------------------------------------------------------------
// API health footer (GET /api/dashboard/health)

let health = { state: 'checking', detail: '' };

function renderHealth() {
  let value;
  if (health.state === 'checking') value = t('footer.apiChecking');
  else if (health.state === 'ok') value = t('footer.apiOk');
  else value = health.detail;
  els.health.dataset.state = health.state;
  els.health.textContent = `${t('footer.api')}: ${value}`;
}

async function checkHealth() {
  health = { state: 'checking', detail: '' };
  renderHealth();
  try {
    const body = await api('GET', '/api/dashboard/health', undefined, { signal: AbortSignal.timeout(10000) });
    const status = body && typeof body === 'object' ? body.status : null;
    health = status === 'ok' ? { state: 'ok', detail: '' } : { state: 'error', detail: String(status ?? 'unexpected response') };
  } catch (e) {
    if (e?.code === 'network_error' || e?.code === 'timeout') health = { state: 'error', detail: t('footer.apiUnreachable'), code: e.code };
    else health = { state: 'error', detail: String(e?.message || e), code: e?.code };
  }
  renderHealth();
}

// ---------------------------------------------------------------------------
// Wiring

async function init() {
  setLang(detectLang(), { persist: false });
  applyStaticText();
  renderUserArea();
  buildNav();

  onSessionChange(() => {
    renderUserArea();
    buildNav();
  });
  // A 401 from any later API call: back to the login page, remembering the page.
  onSessionExpired(() => {
    if (parseHash(location.hash).path !== '/login') route();
  });

  for (const b of els.langButtons) {
    b.addEventListener('click', () => setLang(b.dataset.lang));
  }
  onLangChange(() => {
    applyStaticText();
    renderUserArea();
    buildNav();
    if (health.code === 'network_error' || health.code === 'timeout') health.detail = t('footer.apiUnreachable');
    renderHealth();
    route(); // re-render the current page in the new language, focus stays on the switch
  });

  els.navToggle.addEventListener('click', () => setNavOpen(!document.body.classList.contains('nav-open')));
  // Picking a link in the open panel closes it (also when it is the current page: no hashchange then).
  els.nav.addEventListener('click', (e) => {
    if (e.target.closest('a.nav-link') && window.matchMedia(NARROW_QUERY).matches) setNavOpen(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
      setNavOpen(false);
      els.navToggle.focus();
    }
  });
  window.matchMedia(NARROW_QUERY).addEventListener('change', (e) => {
    if (!e.matches) setNavOpen(false);
  });

  // The skip link must not change the hash (that is the router's).
  els.skip.addEventListener('click', (e) => {
    e.preventDefault();
    const heading = els.main.querySelector('[data-testid="page-heading"]');
    (heading || els.main).focus();
  });

  window.addEventListener('hashchange', () => route({ focus: true }));
  checkHealth();

  try {
    await loadSession();
  } catch (e) {
    console.warn('could not read the session; showing the login page', e);
  }
  sessionReady = true;
  route();
}

init();
