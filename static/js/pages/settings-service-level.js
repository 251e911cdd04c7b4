// The service-level threshold (SPEC section 11: default 20 s) — its own
// block of the work-settings page (업무관리), saved on its own:
//   GET/PUT /api/settings/work/service-level → {threshold_seconds, default_seconds}
// Every dashboard, statistics and export figure of SL counts calls answered
// within it.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard } from '../session.js';
import { card, field, h, messageArea } from '../ui.js';

export function serviceLevelCard(ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const msg = messageArea('service-level-message');
  const input = h('input', { type: 'number', name: 'threshold_seconds', min: '1', max: '600', step: '1', inputmode: 'numeric', dataset: { testid: 'sl-threshold' } });
  const save = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: 'manage', testid: 'sl-save' } }, t('slset.save')));
  input.readOnly = !save;
  const form = h('form', { class: 'form', novalidate: true, dataset: { testid: 'service-level-form' } }, field(t('slset.seconds'), input, t('slset.hint')), save ? h('div', { class: 'form-actions' }, save) : null);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    msg.clear();
    const n = input.value.trim() === '' ? NaN : Number(input.value);
    try {
      const r = await api('PUT', '/api/settings/work/service-level', { threshold_seconds: Number.isFinite(n) ? n : -1 });
      if (signal.aborted) return;
      input.value = String(r.threshold_seconds);
      msg.show(t('slset.saved'));
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, err, t);
    }
  });
  (async () => {
    try {
      const r = await api('GET', '/api/settings/work/service-level');
      if (!signal.aborted) input.value = String(r.threshold_seconds);
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  })();
  return card(t('slset.title'), h('p', { class: 'muted' }, t('slset.lead')), msg.el, form);
}
