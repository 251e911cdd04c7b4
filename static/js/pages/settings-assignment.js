// Assignment (상담배정) — SVC-2. Owners and managers (manage).
//   GET /api/settings/agents              → {items: [{id, login_id, name, status, menus: [menuId]}]}
//   GET /api/settings/menus               → {items: [{id, digit, kind, queue, …}]} (only kind "agents" here)
//   PUT /api/settings/agents/{id}/menus   {menu_ids: [id]} → Agent
// A matrix: one row per agent, one column per agent-connect menu. Each row has
// its own save button; refusals (menu_ids.N) are shown in that row.
import { pageApi } from '../api.js';
import { errorText } from '../form-errors.js';
import { can } from '../session.js';
import { card, h, labelOr, messageArea, pageHeader, replaceChildren } from '../ui.js';

const PERM = 'manage';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const editable = can(PERM);
  const pageMsg = messageArea('assign-message');
  const body = h('div', { dataset: { testid: 'assign-body' } }, h('p', { class: 'muted', role: 'status' }, t('page.loading')));

  function build(agents, menus) {
    if (!menus.length) return replaceChildren(body, h('p', { class: 'muted', dataset: { testid: 'assign-no-menus' } }, t('assign.noMenus')));
    if (!agents.length) return replaceChildren(body, h('p', { class: 'muted', dataset: { testid: 'assign-no-agents' } }, t('assign.noAgents')));
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, t('assign.agent')),
      menus.map((m) => h('th', { scope: 'col' }, t('assign.menuHead', { n: m.digit, queue: String(m.queue ?? '') }))),
      editable ? h('th', { scope: 'col' }, t('agents.actions')) : null,
    );
    const rows = agents.map((a) => {
      const chosen = new Set(Array.isArray(a.menus) ? a.menus : []);
      const boxes = menus.map((m) => {
        const cb = h('input', {
          type: 'checkbox',
          value: String(m.id),
          checked: chosen.has(m.id),
          'aria-label': t('assign.checkLabel', { agent: String(a.name ?? a.login_id ?? ''), n: m.digit, queue: String(m.queue ?? '') }),
          dataset: { testid: 'assign-check', menu: String(m.id) },
        });
        cb.disabled = !editable;
        return cb;
      });
      const rowMsg = h('div', { class: 'row-message', role: 'status' });
      let save = null;
      if (editable) {
        const agentName = String(a.name ?? a.login_id ?? '');
        save = h('button', { type: 'button', class: 'button small primary', 'aria-label': t('assign.saveFor', { agent: agentName }), dataset: { testid: 'assign-save' } }, t('assign.save'));
        save.addEventListener('click', async () => {
          rowMsg.replaceChildren();
          save.disabled = true;
          const ids = boxes.filter((b) => b.checked).map((b) => Number(b.value));
          try {
            await api('PUT', `/api/settings/agents/${encodeURIComponent(a.id)}/menus`, { menu_ids: ids });
            if (signal.aborted) return;
            replaceChildren(rowMsg, h('p', { class: 'outcome-ok' }, t('assign.saved', { agent: agentName })));
          } catch (err) {
            if (signal.aborted) return;
            const first = Object.values(err?.fields || {})[0];
            replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, first || errorText(err, t)));
          } finally {
            save.disabled = false;
          }
        });
      }
      return h(
        'tr',
        { dataset: { testid: 'assign-row', loginId: String(a.login_id ?? '') } },
        h('th', { scope: 'row' }, String(a.name ?? ''), ' ', h('span', { class: 'muted mono' }, String(a.login_id ?? '')), a.status === 'disabled' ? h('span', { class: 'badge' }, labelOr(t, 'status.disabled', 'disabled')) : null),
        boxes.map((b) => h('td', {}, b)),
        editable ? h('td', {}, save, rowMsg) : null,
      );
    });
    replaceChildren(body, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table matrix', dataset: { testid: 'assign-table' } }, h('thead', {}, head), h('tbody', {}, rows))));
  }

  replaceChildren(main, pageHeader(t('page.settings.assignment'), t('assign.lead')), pageMsg.el, card(null, body));

  (async () => {
    try {
      const [ag, mn] = await Promise.all([api('GET', '/api/settings/agents'), api('GET', '/api/settings/menus')]);
      if (signal.aborted) return;
      const menus = (Array.isArray(mn?.items) ? mn.items : []).filter((m) => m.kind === 'agents').sort((x, y) => x.digit - y.digit);
      build(Array.isArray(ag?.items) ? ag.items : [], menus);
    } catch (err) {
      if (signal.aborted) return;
      body.replaceChildren();
      pageMsg.show(errorText(err, t), 'error');
    }
  })();
}
