// Agents (상담인원) — SVC-1. Owners and managers (manage).
//   GET    /api/settings/agents       → {items: [{id, login_id, name, status, menus, created_at}],
//                                        licences: {limit, active}}
//   POST   /api/settings/agents       {login_id, name, password} → 201 Agent
//   PATCH  /api/settings/agents/{id}  {status: "active"|"disabled"} → Agent
//   DELETE /api/settings/agents/{id}  → 204 (frees the seat; history keeps the name)
// Adding or enabling with every licence in use is 409 licence_limit {limit}:
// shown as a prominent alert in the user's language.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard, timeZone } from '../session.js';
import { card, field, formatDate, h, labelOr, messageArea, pageHeader, replaceChildren, dataTable, confirmInRow } from '../ui.js';

const PERM = 'manage';
const MIN_PASSWORD = 10;

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const tz = timeZone();
  const pageMsg = messageArea('agents-message');
  const limitAlert = h('div', { class: 'lock-alert', dataset: { testid: 'licence-alert' } });
  const licenceLine = h('p', { class: 'licence-use', dataset: { testid: 'licence-use' } }, '…');

  function showLimit(err) {
    const box = h(
      'div',
      { class: 'alert alert-error alert-strong', role: 'alert', dataset: { code: 'licence_limit' } },
      h('p', { class: 'alert-title' }, errorText(err, t)),
    );
    replaceChildren(limitAlert, box);
    box.scrollIntoView({ block: 'nearest' });
  }

  // ---- add form
  const loginId = h('input', { name: 'login_id', type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: '32', dataset: { testid: 'agent-login-id' } });
  const name = h('input', { name: 'name', type: 'text', required: true, maxlength: '50', dataset: { testid: 'agent-name' } });
  const password = h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password', minlength: String(MIN_PASSWORD), dataset: { testid: 'agent-password' } });
  const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'agent-add' } }, t('agents.add'));
  const form = h(
    'form',
    { class: 'form form-grid', novalidate: true, dataset: { testid: 'agent-form' } },
    field(t('agents.loginId'), loginId, t('users.loginIdHint')),
    field(t('agents.name'), name),
    field(t('agents.password'), password, t('form.passwordHint', { min: MIN_PASSWORD })),
    h('div', { class: 'form-actions' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    pageMsg.clear();
    limitAlert.replaceChildren();
    submit.disabled = true;
    try {
      const body = { login_id: loginId.value.trim(), name: name.value.trim(), password: password.value };
      const created = await api('POST', '/api/settings/agents', body);
      if (signal.aborted) return;
      form.reset();
      pageMsg.show(t('agents.added', { login: created?.login_id ?? body.login_id }));
      await load();
      loginId.focus();
    } catch (err) {
      if (signal.aborted) return;
      if (err?.code === 'licence_limit') showLimit(err);
      else showFormErrors(form, err, t);
    } finally {
      submit.disabled = false;
    }
  });
  const addCard = card(t('agents.addTitle'), form);
  addCard.dataset.requires = PERM;

  // ---- list
  const listState = h('p', { class: 'muted', role: 'status' }, t('page.loading'));
  const { table, tbody } = dataTable('agents', [
    t('agents.loginId'), t('agents.name'), t('agents.status'), t('agents.menus'), t('agents.created'),
    guard(h('th', { scope: 'col', dataset: { requires: PERM } }, t('agents.actions'))),
  ]);

  function rowFor(a) {
    const rowMsg = h('div', { class: 'row-message' });
    const disabled = a.status === 'disabled';
    const toggle = h(
      'button',
      { type: 'button', class: 'button small', dataset: { testid: disabled ? 'agent-enable' : 'agent-disable' } },
      disabled ? t('agents.enable') : t('agents.disable'),
    );
    const delBtn = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'agent-delete' } }, t('agents.delete'));
    const actions = h('div', { class: 'row-actions' }, toggle, delBtn);
    toggle.addEventListener('click', async () => {
      rowMsg.replaceChildren();
      limitAlert.replaceChildren();
      toggle.disabled = true;
      try {
        await api('PATCH', `/api/settings/agents/${encodeURIComponent(a.id)}`, { status: disabled ? 'active' : 'disabled' });
        await load();
      } catch (err) {
        toggle.disabled = false;
        if (err?.code === 'licence_limit') showLimit(err);
        replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
      }
    });
    delBtn.addEventListener('click', () => {
      rowMsg.replaceChildren();
      const ask = t('agents.deleteAsk', { login: a.login_id });
      confirmInRow(actions, delBtn, {
        ask,
        confirm: t('agents.deleteConfirm'),
        cancel: t('form.cancel'),
        testid: 'agent-delete-confirm',
        onConfirm: async (restore) => {
          try {
            await api('DELETE', `/api/settings/agents/${encodeURIComponent(a.id)}`);
            if (signal.aborted) return;
            pageMsg.show(t('agents.deleted', { login: a.login_id }));
            await load();
          } catch (err) {
            restore();
            replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
          }
        },
      });
    });
    return h(
      'tr',
      { dataset: { testid: 'agent-row', loginId: String(a.login_id ?? ''), status: String(a.status ?? '') } },
      h('td', { class: 'mono' }, String(a.login_id ?? '')),
      h('td', {}, String(a.name ?? '')),
      h('td', {}, h('span', { class: `status status-${a.status}`, dataset: { testid: 'agent-status' } }, labelOr(t, `status.${a.status}`, a.status))),
      h('td', { class: 'num' }, t('agents.menusN', { n: Array.isArray(a.menus) ? a.menus.length : 0 })),
      h('td', { class: 'nowrap' }, formatDate(a.created_at, tz)),
      guard(h('td', { dataset: { requires: PERM } }, actions, rowMsg)),
    );
  }

  async function load() {
    try {
      const res = await api('GET', '/api/settings/agents');
      if (signal.aborted) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      const lic = res?.licences || {};
      licenceLine.textContent = t('agents.licences', { active: Number(lic.active) || 0, limit: Number(lic.limit) || 0 });
      licenceLine.dataset.full = String(Number(lic.active) >= Number(lic.limit));
      tbody.replaceChildren(...items.map(rowFor));
      listState.textContent = items.length ? '' : t('agents.empty');
    } catch (err) {
      if (signal.aborted) return;
      listState.textContent = '';
      pageMsg.show(errorText(err, t), 'error');
    }
  }

  replaceChildren(
    main,
    pageHeader(t('page.settings.agents'), t('agents.lead')),
    limitAlert,
    pageMsg.el,
    card(null, licenceLine),
    guard(addCard),
    card(t('agents.listTitle'), listState, h('div', { class: 'table-wrap' }, table)),
  );
  load();
}
