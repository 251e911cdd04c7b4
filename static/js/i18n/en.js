// English strings. Keys must match ko.js (tests/browser/i18n-keys.test.mjs checks this).
// Placeholders use {name} and are filled by t(key, { name: value }).
export default {
  'app.name': 'Switchboard',
  'app.skip': 'Skip to content',
  'app.noscript': 'Switchboard needs JavaScript.',

  'header.menu': 'Menu',
  'header.language': 'Language',
  'header.notSignedIn': 'Not signed in',

  'nav.label': 'Main navigation',
  'nav.group.monitoring': 'Monitoring',
  'nav.group.statistics': 'Statistics',
  'nav.group.lookup': 'Service lookup',
  'nav.group.settings': 'Service settings',
  'nav.group.admin': 'Admin',
  'nav.operatorOnly': 'operator',

  'page.dashboard': 'Dashboard',

  'page.stats.tenant': 'Tenant in/out & answer rate',
  'page.stats.queues': 'Call handling per queue',
  'page.stats.queueWaits': 'Waiting & abandonment per queue',
  'page.stats.consultationTypes': 'By consultation type',
  'page.stats.agents': 'Call handling per agent',
  'page.stats.agentStates': 'Time per agent state',

  'page.history.calls': 'Call history',
  'page.history.consultations': 'Consultation history',
  'page.history.callbacks': 'Callback history',
  'page.history.agentLogins': 'Agent login history',
  'page.history.work': 'Work history',

  'page.settings.contract': 'Contract',
  'page.settings.ars': 'ARS service',
  'page.settings.agents': 'Agents',
  'page.settings.assignment': 'Assignment',
  'page.settings.consultationTypes': 'Consultation types',
  'page.settings.work': 'Work management',
  'page.settings.access': 'Access management',

  'page.admin.users': 'Admin users',
  'page.admin.tenants': 'Tenants',

  'page.notBuilt': 'This page is not built yet.',
  'page.requirements': 'Requirements covered',
  'page.loading': 'Loading…',
  'page.loadError': 'This page could not be loaded.',
  'page.notFound.title': 'Page not found',
  'page.notFound.body': 'There is no page at “{path}”.',
  'page.notFound.back': 'Go to the dashboard',

  'footer.api': 'API',
  'footer.apiChecking': 'checking…',
  'footer.apiOk': 'ok',
  'footer.apiUnreachable': 'unreachable',

  'form.fixErrors': 'Please correct the errors below.',
  'form.otherErrors': 'Other problems:',
};
