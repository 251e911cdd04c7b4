// My account (AUTH-3): who is signed in, and a form to change the password
// (POST /api/auth/password {current_password, new_password} → 200 with the
// continuing session's new csrf_token; 422 with field errors for a wrong
// current password or a too short new one).
import { api, setCsrfToken } from '../api.js';
import { clearFieldErrors, errorText, showFieldErrors, showFormErrors } from '../form-errors.js';
import { session, timeZone } from '../session.js';
import { card, field, formatDate, h, labelOr, messageArea, pageHeader, replaceChildren } from '../ui.js';

const MIN_PASSWORD = 10;

export function render(main, ctx) {
  const { t } = ctx;
  const { user, tenant } = session();

  const info = h(
    'dl',
    { class: 'facts', dataset: { testid: 'account-facts' } },
    h('dt', {}, t('users.loginId')),
    h('dd', {}, String(user?.login_id ?? '')),
    h('dt', {}, t('users.name')),
    h('dd', {}, String(user?.name ?? '')),
    h('dt', {}, t('users.role')),
    h('dd', {}, user ? labelOr(t, `role.${user.role}`, user.role) : ''),
    tenant ? h('dt', {}, t('account.tenant')) : null,
    tenant ? h('dd', {}, String(tenant.name ?? '')) : null,
    user?.created_at ? h('dt', {}, t('users.created')) : null,
    user?.created_at ? h('dd', {}, formatDate(user.created_at, timeZone())) : null,
  );

  const current = h('input', { name: 'current_password', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', {
    name: 'new_password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: String(MIN_PASSWORD),
  });
  const confirm = h('input', { name: 'confirm_password', type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('account.changePassword'));
  const msg = messageArea('password-message');
  const form = h(
    'form',
    { class: 'form', novalidate: true, dataset: { testid: 'password-form' } },
    field(t('account.currentPassword'), current),
    field(t('account.newPassword'), next, t('form.passwordHint', { min: MIN_PASSWORD })),
    field(t('account.confirmPassword'), confirm),
    h('div', { class: 'form-actions' }, submit),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    msg.clear();
    const local = {};
    if (!current.value) local.current_password = t('form.required');
    if (!next.value) local.new_password = t('form.required');
    if (next.value && confirm.value !== next.value) local.confirm_password = t('account.mismatch');
    if (Object.keys(local).length) {
      showFieldErrors(form, { message: t('form.fixErrors'), fields: local });
      return;
    }
    submit.disabled = true;
    try {
      const res = await api('POST', '/api/auth/password', { current_password: current.value, new_password: next.value });
      // The session continues under a new cookie and CSRF token.
      if (res && res.csrf_token) setCsrfToken(res.csrf_token);
      form.reset();
      msg.show(t('account.passwordChanged'));
    } catch (err) {
      if (err && err.fields && Object.keys(err.fields).length) showFormErrors(form, err, t);
      else msg.show(errorText(err, t), 'error');
    } finally {
      submit.disabled = false;
    }
  });

  replaceChildren(
    main,
    pageHeader(t('page.account')),
    card(t('account.you'), info),
    card(t('account.changePassword'), msg.el, form),
  );
}
