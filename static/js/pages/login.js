// Login (AUTH-3): login ID + password. The server's message for 401
// (invalid_credentials), 429 (too_many_attempts: says when to retry) and 403
// (ip_not_allowed) is shown in a role="alert" box; 422 field errors go next to
// the fields. On success the app goes to the page the user wanted (?next=).

import { parseHash } from '../routes.js';
import { clearFieldErrors, errorText, showFieldErrors, showFormErrors } from '../form-errors.js';
import { defaultPath, login } from '../session.js';
import { field, h, pageHeading, replaceChildren } from '../ui.js';

/** Only hash paths of this app are accepted as ?next= (no other sites). */
function safeNext(raw) {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//')) return null;
  const { path } = parseHash(`#${raw}`);
  if (path === '/login') return null;
  return raw;
}

export function render(main, ctx) {
  const { t, params } = ctx;
  const next = safeNext(params.get('next'));

  const loginId = h('input', {
    name: 'login_id',
    type: 'text',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: '64',
    dataset: { testid: 'login-id' },
  });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    dataset: { testid: 'login-password' },
  });
  const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'login-submit' } }, t('login.submit'));
  const alertBox = h('div', { class: 'login-alert', dataset: { testid: 'login-error' } });

  const form = h(
    'form',
    { class: 'form login-form', novalidate: true, dataset: { testid: 'login-form' } },
    alertBox,
    field(t('login.loginId'), loginId),
    field(t('login.password'), password),
    h('div', { class: 'form-actions' }, submit),
  );

  function showError(err) {
    clearFieldErrors(form);
    alertBox.replaceChildren();
    const fields = (err && err.fields) || {};
    if (Object.keys(fields).length) {
      showFormErrors(form, err, t); // field messages next to inputs + summary alert
      return;
    }
    alertBox.append(
      h('div', { class: 'alert alert-error', role: 'alert', dataset: { code: err?.code || '' } }, errorText(err, t)),
    );
    if (err && err.code === 'invalid_credentials') {
      password.select();
      password.focus();
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    alertBox.replaceChildren();
    const id = loginId.value.trim();
    const missing = {};
    if (!id) missing.login_id = t('form.required');
    if (!password.value) missing.password = t('form.required');
    if (Object.keys(missing).length) {
      showFieldErrors(form, { message: t('form.fixErrors'), fields: missing });
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await login(id, password.value);
      location.hash = `#${next || defaultPath()}`;
    } catch (err) {
      showError(err);
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  replaceChildren(
    main,
    h(
      'div',
      { class: 'login-page' },
      h(
        'section',
        { class: 'card login-card' },
        h('header', { class: 'page-header' }, pageHeading(t('page.login'))),
        h('p', { class: 'muted' }, t('login.lead')),
        form,
      ),
    ),
  );
  loginId.focus();
}
