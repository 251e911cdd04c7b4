// Navigation structure (SPEC sections 3-6 and 2) and the hash routes.
// Each item: hash path, i18n title key, page module under ./pages/, and the
// SPEC requirement IDs the page covers. Who may open it (session.js
// routeAllowed): `requires` names a permission ("manage_access") or
// "operator"; `audience: 'all'` means tenant users and the platform operator;
// otherwise it is a tenant page (any tenant role, hidden for the operator).

export const DEFAULT_PATH = '/dashboard';

export const NAV = [
  {
    id: 'monitoring',
    labelKey: 'nav.group.monitoring',
    items: [
      { path: '/dashboard', titleKey: 'page.dashboard', module: 'dashboard', reqs: ['MON-1..MON-7', 'UI-3'] },
    ],
  },
  {
    id: 'statistics',
    labelKey: 'nav.group.statistics',
    items: [
      { path: '/stats/tenant', titleKey: 'page.stats.tenant', module: 'stats-tenant', reqs: ['STAT-1'] },
      { path: '/stats/queues', titleKey: 'page.stats.queues', module: 'stats-queues', reqs: ['STAT-2'] },
      { path: '/stats/queue-waits', titleKey: 'page.stats.queueWaits', module: 'stats-queue-waits', reqs: ['STAT-3'] },
      { path: '/stats/consultation-types', titleKey: 'page.stats.consultationTypes', module: 'stats-consultation-types', reqs: ['STAT-4'] },
      { path: '/stats/agents', titleKey: 'page.stats.agents', module: 'stats-agents', reqs: ['STAT-5'] },
      { path: '/stats/agent-states', titleKey: 'page.stats.agentStates', module: 'stats-agent-states', reqs: ['STAT-6'] },
    ],
  },
  {
    id: 'lookup',
    labelKey: 'nav.group.lookup',
    items: [
      { path: '/history/calls', titleKey: 'page.history.calls', module: 'history-calls', reqs: ['HIST-1'] },
      { path: '/history/consultations', titleKey: 'page.history.consultations', module: 'history-consultations', reqs: ['HIST-2', 'TEL-4'] },
      { path: '/history/callbacks', titleKey: 'page.history.callbacks', module: 'history-callbacks', reqs: ['HIST-3', 'CB-3'] },
      { path: '/history/agent-logins', titleKey: 'page.history.agentLogins', module: 'history-agent-logins', reqs: ['HIST-4'] },
      { path: '/history/work', titleKey: 'page.history.work', module: 'history-work', reqs: ['HIST-5', 'AUD-1'], audience: 'all' },
    ],
  },
  {
    id: 'settings',
    labelKey: 'nav.group.settings',
    items: [
      { path: '/settings/contract', titleKey: 'page.settings.contract', module: 'settings-contract', reqs: ['CON-1..CON-3'], requires: 'manage_access' },
      { path: '/settings/ars', titleKey: 'page.settings.ars', module: 'settings-ars', reqs: ['ARS-1..ARS-7'] },
      { path: '/settings/agents', titleKey: 'page.settings.agents', module: 'settings-agents', reqs: ['SVC-1'] },
      { path: '/settings/assignment', titleKey: 'page.settings.assignment', module: 'settings-assignment', reqs: ['SVC-2'] },
      { path: '/settings/consultation-types', titleKey: 'page.settings.consultationTypes', module: 'settings-consultation-types', reqs: ['SVC-3'] },
      { path: '/settings/work', titleKey: 'page.settings.work', module: 'settings-work', reqs: ['SVC-4', 'SVC-5'] },
      { path: '/settings/access', titleKey: 'page.settings.access', module: 'settings-access', reqs: ['ACC-1'], requires: 'manage_access' },
    ],
  },
  {
    id: 'admin',
    labelKey: 'nav.group.admin',
    items: [
      { path: '/admin/users', titleKey: 'page.admin.users', module: 'admin-users', reqs: ['AUTH-2', 'AUTH-3'], requires: 'manage_access' },
      { path: '/admin/tenants', titleKey: 'page.admin.tenants', module: 'admin-tenants', reqs: ['AUTH-1', 'AUTH-2', 'CON-1'], operatorOnly: true, requires: 'operator' },
      { path: '/admin/numbers', titleKey: 'page.admin.numbers', module: 'admin-numbers', reqs: ['ARS-1', 'TEL-1'], operatorOnly: true, requires: 'operator' },
    ],
  },
];

/** Routes outside the nav: the login page and the signed-in user's own account. */
export const EXTRA_ROUTES = [
  { path: '/login', titleKey: 'page.login', module: 'login', reqs: ['AUTH-3'], public: true },
  { path: '/account', titleKey: 'page.account', module: 'account', reqs: ['AUTH-3'], audience: 'all' },
];

const BY_PATH = new Map([
  ...NAV.flatMap((g) => g.items.map((item) => [item.path, { ...item, group: g.id }])),
  ...EXTRA_ROUTES.map((item) => [item.path, { ...item, group: null }]),
]);

/** Route for a path ("/history/calls"), or null. */
export function findRoute(path) {
  return BY_PATH.get(path) || null;
}

/** Split a location hash ("#/history/calls?from=2024-01-01") into path and params. */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const q = raw.indexOf('?');
  let path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return { path, params };
}
