// The callback policy block of the work settings page (업무관리) — CB-3:
// attempts per callback request, the delay between attempts and the expiry
// of a request nobody could dial. Its own form and save button, so it sits
// beside the SVC-4/5 form without touching it.
//   GET/PUT /api/settings/work/callbacks → {max_attempts, retry_delay_seconds,
//            expiry_hours, saved}; 422 number_range per field (UI-4)
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard } from '../session.js';
import { card, field, h, messageArea } from '../ui.js';

export function callbackPolicyBlock({ t, signal }) {
  const api = pageApi(signal);
  const editable = !!guard(h('i', { dataset: { requires: 'manage' } }));
  const msg = messageArea('callback-policy-message');
  const num = (name, min, max) => {
    const i = h('input', { type: 'number', name, min: String(min), max: String(max), step: '1', inputmode: 'numeric', dataset: { testid: `cbp-${name}` } });
    i.readOnly = !editable;
    return i;
  };
  const attempts = num('max_attempts', 1, 10);
  const delayMin = num('retry_delay_minutes', 1, 1440);
  const expiry = num('expiry_hours', 1, 168);
  const saveBtn = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: 'manage', testid: 'callback-policy-save' } }, t('cbpolicy.save')));
  const form = h(
    'form',
    { class: 'form callback-policy-form', novalidate: true, dataset: { testid: 'callback-policy-form' } },
    card(
      t('cbpolicy.title'),
      h('p', { class: 'muted' }, t('cbpolicy.lead')),
      field(t('cbpolicy.attempts'), attempts, t('cbpolicy.attemptsHint')),
      field(t('cbpolicy.delay'), delayMin, t('cbpolicy.delayHint')),
      field(t('cbpolicy.expiry'), expiry, t('cbpolicy.expiryHint')),
      msg.el,
      saveBtn ? h('div', { class: 'form-actions' }, saveBtn) : null,
    ),
  );
  const show = (d) => {
    if (!d) return;
    attempts.value = String(d.max_attempts);
    delayMin.value = String(Math.round(d.retry_delay_seconds / 60));
    expiry.value = String(d.expiry_hours);
  };
  // The server counts the delay in seconds; the form in minutes.
  const minutesErrors = (err) => {
    const fields = Object.create(null);
    for (const [k, v] of Object.entries(err?.fields || {})) {
      fields[k === 'retry_delay_seconds' ? 'retry_delay_minutes' : k] =
        k === 'retry_delay_seconds' && v?.params ? { ...v, params: { min: String(Number(v.params.min) / 60), max: String(Number(v.params.max) / 60) } } : v;
    }
    return { code: err?.code, message: err?.message, fields };
  };
  const n = (i) => (i.value.trim() === '' ? -1 : Number(i.value));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    msg.clear();
    saveBtn.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/work/callbacks', {
        max_attempts: n(attempts),
        retry_delay_seconds: n(delayMin) < 0 ? -1 : Math.round(n(delayMin) * 60),
        expiry_hours: n(expiry),
      });
      if (signal.aborted) return;
      show(d);
      msg.show(t('cbpolicy.saved'));
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, minutesErrors(err), t);
    } finally {
      saveBtn.disabled = false;
    }
  });
  show({ max_attempts: 3, retry_delay_seconds: 600, expiry_hours: 24 });
  (async () => {
    try {
      const d = await api('GET', '/api/settings/work/callbacks');
      if (!signal.aborted) show(d);
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  })();
  return form;
}
