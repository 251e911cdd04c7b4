// A queue's SLA targets (issue 15) on the menu settings (ARS-3): a "목표"
// button on each agent-connect menu's row opens a small form under the row.
//   GET/PUT /api/settings/menus/{id}/targets → {answer_rate_pct, service_level_pct,
//            waiting_max, longest_wait_seconds} (each null when not set)
// The dashboard colours the queue's figures by them (green / amber / red).
import { clearFieldErrors, showFormErrors } from '../form-errors.js';
import { field, h, replaceChildren } from '../ui.js';

const FIELDS = [
  ['answer_rate_pct', 'targets.answerRate', 1, 100],
  ['service_level_pct', 'targets.serviceLevel', 1, 100],
  ['waiting_max', 'targets.waiting', 1, 10000],
  ['longest_wait_seconds', 'targets.longestWait', 1, 86400],
];

/** The button for menu `m`; the form opens in `box` (the row's message area). */
export function targetsButton(m, box, { t, api, signal }) {
  const btn = h('button', { type: 'button', class: 'button small', dataset: { testid: 'menu-targets' } }, t('targets.open'));
  btn.addEventListener('click', async () => {
    if (box.querySelector('form')) {
      box.replaceChildren();
      return;
    }
    const path = `/api/settings/menus/${encodeURIComponent(m.id)}/targets`;
    const inputs = {};
    const fields = FIELDS.map(([name, key, min, max]) => {
      const input = h('input', { type: 'number', name, min: String(min), max: String(max), step: '1', inputmode: 'numeric', dataset: { testid: `target-${name}` } });
      inputs[name] = input;
      return field(t(key), input);
    });
    const status = h('p', { class: 'muted', role: 'status' });
    const save = h('button', { type: 'submit', class: 'button small primary', dataset: { testid: 'targets-save' } }, t('targets.save'));
    const form = h('form', { class: 'form targets-form', novalidate: true }, h('p', { class: 'muted' }, t('targets.lead')), h('div', { class: 'form-grid' }, fields), h('div', { class: 'form-actions' }, save), status);
    replaceChildren(box, form);
    try {
      const cur = await api('GET', path);
      if (signal.aborted) return;
      for (const [name] of FIELDS) inputs[name].value = cur[name] == null ? '' : String(cur[name]);
    } catch {
      /* shown empty: saving still works */
    }
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(form);
      const body = {};
      for (const [name] of FIELDS) {
        const v = inputs[name].value.trim();
        body[name] = v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : -1;
      }
      try {
        await api('PUT', path, body);
        if (!signal.aborted) status.textContent = t('targets.saved');
      } catch (err) {
        if (!signal.aborted) showFormErrors(form, err, t);
      }
    });
  });
  return btn;
}
