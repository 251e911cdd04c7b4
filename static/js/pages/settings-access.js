// Access management (접근관리) — ACC-1. Owner only (manage_access).
//   GET /api/settings/access → {rules: [{rule, note}], your_ip}
//   PUT /api/settings/access {rules: [{rule, note}]} → same shape
// Errors: 422 with fields "rules.N" per invalid entry (shown next to that
// row); 409 would_lock_you_out (the list excludes the caller's address; its
// message names the address) shown prominently in a role="alert" box.
// An empty list allows every address.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { can, guard } from '../session.js';
import { card, h, messageArea, pageHeader, replaceChildren } from '../ui.js';

const PERM = 'manage_access';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);

  const lockAlert = h('div', { class: 'lock-alert', dataset: { testid: 'access-alert' } });
  const msg = messageArea('access-message');
  const yourIp = h('strong', { class: 'mono', dataset: { testid: 'your-ip' } }, '…');
  const rowsBox = h('div', { class: 'rule-rows', dataset: { testid: 'access-rows' } });
  const emptyNote = h('p', { class: 'muted', dataset: { testid: 'access-empty' } }, t('access.empty'));
  const addBtn = guard(
    h('button', { type: 'button', class: 'button', dataset: { requires: PERM, testid: 'access-add' } }, t('access.addRule')),
  );
  const saveBtn = guard(
    h('button', { type: 'submit', class: 'button primary', dataset: { requires: PERM, testid: 'access-save' } }, t('form.save')),
  );
  const form = h(
    'form',
    { class: 'form access-form', novalidate: true, dataset: { testid: 'access-form' } },
    h(
      'div',
      { class: 'rule-head', 'aria-hidden': 'true' },
      h('span', {}, t('access.rule')),
      h('span', {}, t('access.note')),
      h('span', {}),
    ),
    rowsBox,
    emptyNote,
    h('div', { class: 'form-actions' }, addBtn, saveBtn),
  );

  /** Give the rows their names (rules.N / rules.N.note) and labels in order. */
  function renumber() {
    const rows = [...rowsBox.querySelectorAll('.rule-row')];
    rows.forEach((row, i) => {
      const [rule, note] = row.querySelectorAll('input');
      rule.name = `rules.${i}`;
      note.name = `rules.${i}.note`;
      rule.setAttribute('aria-label', t('access.ruleN', { n: i + 1 }));
      note.setAttribute('aria-label', t('access.noteN', { n: i + 1 }));
      const rm = row.querySelector('button');
      if (rm) rm.setAttribute('aria-label', t('access.removeN', { n: i + 1 }));
    });
    emptyNote.hidden = rows.length > 0;
  }

  function addRow(rule = '', note = '', focus = false) {
    const ruleIn = h('input', {
      type: 'text',
      class: 'mono',
      value: rule,
      placeholder: '203.0.113.0/24',
      autocomplete: 'off',
      spellcheck: 'false',
      dataset: { testid: 'access-rule' },
    });
    const noteIn = h('input', { type: 'text', value: note, maxlength: '100', dataset: { testid: 'access-note' } });
    const canEdit = can(PERM);
    ruleIn.readOnly = !canEdit;
    noteIn.readOnly = !canEdit;
    const rm = guard(
      h('button', { type: 'button', class: 'button small danger', dataset: { requires: PERM, testid: 'access-remove' } }, t('access.remove')),
    );
    const row = h('div', { class: 'rule-row', dataset: { testid: 'access-row' } }, h('div', { class: 'field' }, ruleIn), h('div', { class: 'field' }, noteIn), rm);
    if (rm) {
      rm.addEventListener('click', () => {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        const target = next ? next.querySelector('input') : addBtn;
        if (target) target.focus();
      });
    }
    rowsBox.append(row);
    renumber();
    if (focus) ruleIn.focus();
  }

  function setRules(rules) {
    rowsBox.replaceChildren();
    for (const r of rules || []) addRow(String(r?.rule ?? ''), String(r?.note ?? ''));
    renumber();
  }

  function showData(data) {
    yourIp.textContent = String(data?.your_ip ?? '?');
    setRules(Array.isArray(data?.rules) ? data.rules : []);
  }

  if (addBtn) addBtn.addEventListener('click', () => addRow('', '', true));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    lockAlert.replaceChildren();
    msg.clear();
    const rules = [...rowsBox.querySelectorAll('.rule-row')].map((row) => {
      const [rule, note] = row.querySelectorAll('input');
      return { rule: rule.value.trim(), note: note.value.trim() };
    });
    saveBtn.disabled = true;
    try {
      const data = await api('PUT', '/api/settings/access', { rules });
      if (signal.aborted) return;
      showData(data);
      msg.show(t('access.saved'));
    } catch (err) {
      if (signal.aborted) return;
      if (err && err.code === 'would_lock_you_out') {
        const box = h(
          'div',
          { class: 'alert alert-error alert-strong', role: 'alert', dataset: { code: err.code } },
          h('p', { class: 'alert-title' }, t('access.lockoutTitle')),
          h('p', {}, errorText(err, t)),
        );
        lockAlert.append(box);
        box.scrollIntoView({ block: 'nearest' });
      } else {
        // Field keys may be "rules.N" or "rules.N.rule"; both mean the rule input.
        const fields = Object.create(null);
        for (const [k, v] of Object.entries(err?.fields || {})) fields[k.replace(/^(rules\.\d+)\.rule$/, '$1')] = v;
        showFormErrors(form, { ...err, code: err?.code, message: err?.message, fields }, t);
      }
    } finally {
      saveBtn.disabled = false;
    }
  });

  replaceChildren(
    main,
    pageHeader(t('page.settings.access'), t('access.lead')),
    lockAlert,
    msg.el,
    card(
      null,
      h('p', { class: 'your-ip', dataset: { testid: 'your-ip-line' } }, `${t('access.yourIp')} `, yourIp),
      form,
    ),
  );

  (async () => {
    try {
      const data = await api('GET', '/api/settings/access');
      if (!signal.aborted) showData(data);
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  })();
}
