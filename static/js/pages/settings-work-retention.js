// The record retention block of the work settings page (업무관리) — CB-5:
// how many days calls, consultations, recording entries, callbacks and
// agent logins are kept before the worker deletes them (statistics are
// rolled up first and kept). Its own form and save button.
//   GET/PUT /api/settings/work/retention → {retention_days, default_days,
//            min_days, max_days, saved}; 422 number_range (UI-4)
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard } from '../session.js';
import { card, field, h, messageArea } from '../ui.js';

export function retentionBlock({ t, signal }) {
  const api = pageApi(signal);
  const editable = !!guard(h('i', { dataset: { requires: 'manage' } }));
  const msg = messageArea('retention-message');
  const days = h('input', { type: 'number', name: 'retention_days', min: '100', max: '1825', step: '1', inputmode: 'numeric', dataset: { testid: 'retention-days' } });
  days.readOnly = !editable;
  const saveBtn = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: 'manage', testid: 'retention-save' } }, t('retention.save')));
  const form = h(
    'form',
    { class: 'form retention-form', novalidate: true, dataset: { testid: 'retention-form' } },
    card(
      t('retention.title'),
      h('p', { class: 'muted' }, t('retention.lead')),
      field(t('retention.days'), days, t('retention.daysHint')),
      msg.el,
      saveBtn ? h('div', { class: 'form-actions' }, saveBtn) : null,
    ),
  );
  const show = (d) => {
    if (d) days.value = String(d.retention_days);
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    msg.clear();
    saveBtn.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/work/retention', { retention_days: days.value.trim() === '' ? -1 : Number(days.value) });
      if (signal.aborted) return;
      show(d);
      msg.show(t('retention.saved'));
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, err, t);
    } finally {
      saveBtn.disabled = false;
    }
  });
  show({ retention_days: 400 });
  (async () => {
    try {
      const d = await api('GET', '/api/settings/work/retention');
      if (!signal.aborted) show(d);
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  })();
  return form;
}
