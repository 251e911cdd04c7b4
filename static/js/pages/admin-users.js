// Admin users (관리자 계정) — AUTH-2, AUTH-3. Owner only (manage_access).
//   GET    /api/users                 → {items: [User]}
//   POST   /api/users                 {login_id, name, role, password} → 201 User
//   PATCH  /api/users/{id}            {name?, role?, status?} → User
//   POST   /api/users/{id}/password   {new_password} → 204
//   DELETE /api/users/{id}            → 204
// Every editing control carries data-requires="manage_access" and goes
// through guard(); server errors show next to the field (UI-4), user text is
// rendered as text only (UI-5).
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard, session, timeZone } from '../session.js';
import { card, field, formatDate, h, labelOr, messageArea, pageHeader, replaceChildren, uid } from '../ui.js';

const TENANT_ROLES = ['owner', 'manager', 'viewer'];
const MIN_PASSWORD = 10;
const PERM = 'manage_access';

function roleSelect(t, value, props = {}) {
  return h(
    'select',
    props,
    TENANT_ROLES.map((r) => h('option', { value: r, selected: r === value }, t(`role.${r}`))),
  );
}

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const me = session().user;
  const tz = timeZone();
  const pageMsg = messageArea('users-message');

  // ---- add form -------------------------------------------------------------
  const addForm = buildAddForm();

  // ---- list -------------------------------------------------------------------
  const tbody = h('tbody', { dataset: { testid: 'users-body' } });
  const table = h(
    'table',
    { class: 'data-table', dataset: { testid: 'users-table' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('users.loginId')),
        h('th', { scope: 'col' }, t('users.name')),
        h('th', { scope: 'col' }, t('users.role')),
        h('th', { scope: 'col' }, t('users.status')),
        h('th', { scope: 'col' }, t('users.created')),
        guard(h('th', { scope: 'col', dataset: { requires: PERM } }, t('users.actions'))),
      ),
    ),
    tbody,
  );
  const listState = h('p', { class: 'muted', role: 'status' }, t('page.loading'));

  async function load() {
    try {
      const res = await api('GET', '/api/users');
      if (signal.aborted) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      tbody.replaceChildren(...items.flatMap((u) => rowFor(u)));
      listState.textContent = items.length ? '' : t('users.empty');
    } catch (err) {
      if (signal.aborted) return;
      listState.textContent = '';
      pageMsg.show(errorText(err, t), 'error');
    }
  }

  function buildAddForm() {
    const loginId = h('input', {
      name: 'login_id',
      type: 'text',
      required: true,
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
      maxlength: '32',
      dataset: { testid: 'new-login-id' },
    });
    const name = h('input', { name: 'name', type: 'text', required: true, maxlength: '50', dataset: { testid: 'new-name' } });
    const role = roleSelect(t, 'viewer', { name: 'role', dataset: { testid: 'new-role' } });
    const password = h('input', {
      name: 'password',
      type: 'password',
      required: true,
      autocomplete: 'new-password',
      minlength: String(MIN_PASSWORD),
      dataset: { testid: 'new-password' },
    });
    const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'add-user-submit' } }, t('users.add'));
    const form = h(
      'form',
      { class: 'form form-grid', novalidate: true, dataset: { testid: 'add-user-form' } },
      field(t('users.loginId'), loginId, t('users.loginIdHint')),
      field(t('users.name'), name),
      field(t('users.role'), role),
      field(t('users.password'), password, t('form.passwordHint', { min: MIN_PASSWORD })),
      h('div', { class: 'form-actions' }, submit),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      pageMsg.clear();
      submit.disabled = true;
      try {
        const body = { login_id: loginId.value.trim(), name: name.value.trim(), role: role.value, password: password.value };
        const created = await api('POST', '/api/users', body);
        form.reset();
        role.value = 'viewer';
        pageMsg.show(t('users.added', { login: created?.login_id ?? body.login_id }));
        await load();
      } catch (err) {
        showFormErrors(form, err, t);
      } finally {
        submit.disabled = false;
      }
    });
    const box = card(t('users.addTitle'), form);
    box.dataset.requires = PERM;
    return guard(box);
  }

  // ---- one user: a table row, plus a row for the reset-password form -----------
  function rowFor(u) {
    const isMe = me && String(me.id) === String(u.id);
    const rowMsg = h('div', { class: 'row-message' });
    const showRowError = (err) => {
      replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
    };
    const clearRow = () => rowMsg.replaceChildren();

    const nameCell = h('td', {}, String(u.name ?? ''), isMe ? h('span', { class: 'badge you' }, t('users.you')) : null);

    // Role: a select for owners (changes at once), plain text otherwise.
    const roleSel = guard(
      roleSelect(t, u.role, {
        'aria-label': t('users.roleOf', { login: u.login_id }),
        dataset: { requires: PERM, testid: 'row-role' },
      }),
    );
    if (roleSel) {
      roleSel.addEventListener('change', async () => {
        clearRow();
        roleSel.disabled = true;
        try {
          await api('PATCH', `/api/users/${encodeURIComponent(u.id)}`, { role: roleSel.value });
          await load();
        } catch (err) {
          roleSel.value = u.role;
          showRowError(err);
        } finally {
          roleSel.disabled = false;
        }
      });
    }
    const roleCell = h('td', {}, roleSel || labelOr(t, `role.${u.role}`, u.role));

    const status = h('span', { class: `status status-${u.status}`, dataset: { testid: 'row-status' } }, labelOr(t, `status.${u.status}`, u.status));

    // Actions
    const disabled = u.status === 'disabled';
    const toggle = h(
      'button',
      { type: 'button', class: 'button small', dataset: { requires: PERM, testid: disabled ? 'row-enable' : 'row-disable' } },
      disabled ? t('users.enable') : t('users.disable'),
    );
    toggle.addEventListener('click', async () => {
      clearRow();
      toggle.disabled = true;
      try {
        await api('PATCH', `/api/users/${encodeURIComponent(u.id)}`, { status: disabled ? 'active' : 'disabled' });
        await load();
      } catch (err) {
        showRowError(err);
        toggle.disabled = false;
      }
    });

    const resetBtn = h(
      'button',
      { type: 'button', class: 'button small', 'aria-expanded': 'false', dataset: { requires: PERM, testid: 'row-reset' } },
      t('users.resetPassword'),
    );
    const delBtn = h('button', { type: 'button', class: 'button small danger', dataset: { requires: PERM, testid: 'row-delete' } }, t('users.delete'));

    const actions = h('div', { class: 'row-actions' }, guard(toggle), guard(resetBtn), guard(delBtn));

    // Delete asks for confirmation inline (no window.confirm).
    delBtn.addEventListener('click', () => {
      clearRow();
      const yes = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'row-delete-confirm' } }, t('users.deleteConfirm'));
      const no = h('button', { type: 'button', class: 'button small' }, t('form.cancel'));
      const ask = h('div', { class: 'row-confirm', role: 'group', 'aria-label': t('users.deleteAsk', { login: u.login_id }) },
        h('span', {}, t('users.deleteAsk', { login: u.login_id })), yes, no);
      actions.replaceWith(ask);
      yes.focus();
      no.addEventListener('click', () => {
        ask.replaceWith(actions);
        delBtn.focus();
      });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          await api('DELETE', `/api/users/${encodeURIComponent(u.id)}`);
          pageMsg.show(t('users.deleted', { login: u.login_id }));
          await load();
        } catch (err) {
          ask.replaceWith(actions);
          showRowError(err);
        }
      });
    });

    const actionsCell = guard(h('td', { dataset: { requires: PERM } }, actions, rowMsg));

    const row = h(
      'tr',
      { dataset: { testid: 'user-row', loginId: String(u.login_id ?? ''), status: String(u.status ?? '') } },
      h('td', { class: 'mono' }, String(u.login_id ?? '')),
      nameCell,
      roleCell,
      h('td', {}, status),
      h('td', { class: 'nowrap' }, formatDate(u.created_at, tz)),
      actionsCell,
    );

    // Reset password: a form in the row below, shown on demand.
    const pwInput = h('input', { name: 'new_password', type: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD) });
    const pwSave = h('button', { type: 'submit', class: 'button small primary' }, t('form.save'));
    const pwCancel = h('button', { type: 'button', class: 'button small' }, t('form.cancel'));
    const pwForm = h(
      'form',
      { class: 'form inline-form', novalidate: true, dataset: { testid: 'reset-form' } },
      field(t('users.newPasswordFor', { login: u.login_id }), pwInput, t('form.passwordHint', { min: MIN_PASSWORD })),
      h('div', { class: 'form-actions' }, pwSave, pwCancel),
    );
    const pwRowId = uid('reset');
    const pwRow = guard(h('tr', { class: 'subrow', id: pwRowId, hidden: true, dataset: { requires: PERM } }, h('td', { colspan: '6' }, pwForm)));
    resetBtn.setAttribute('aria-controls', pwRowId);
    const setPwOpen = (open) => {
      if (!pwRow) return;
      pwRow.hidden = !open;
      resetBtn.setAttribute('aria-expanded', String(open));
      if (open) pwInput.focus();
      else {
        pwForm.reset();
        clearFieldErrors(pwForm);
      }
    };
    resetBtn.addEventListener('click', () => setPwOpen(pwRow ? pwRow.hidden : false));
    pwCancel.addEventListener('click', () => {
      setPwOpen(false);
      resetBtn.focus();
    });
    pwForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(pwForm);
      pwSave.disabled = true;
      try {
        await api('POST', `/api/users/${encodeURIComponent(u.id)}/password`, { new_password: pwInput.value });
        setPwOpen(false);
        pageMsg.show(t('users.passwordReset', { login: u.login_id }));
      } catch (err) {
        showFormErrors(pwForm, err, t);
      } finally {
        pwSave.disabled = false;
      }
    });

    return pwRow ? [row, pwRow] : [row];
  }

  replaceChildren(
    main,
    pageHeader(t('page.admin.users'), t('users.lead')),
    pageMsg.el,
    addForm,
    card(t('users.listTitle'), listState, h('div', { class: 'table-wrap' }, table)),
  );
  load();
}
