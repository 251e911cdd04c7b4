// Contract (계약관리) — CON-1..CON-3. Owners only (manage_access; AUTH-2 keeps
// managers from the contract, so the route requires it too).
//   GET    /api/settings/contract → {company: {name, business_number, representative, phone, email, address},
//            time_zone, service_period: {start, end}, plan, licence_count, active_agents, status,
//            service_state: active|terminated|expired, licence_change: {last_date, possible_from},
//            termination: {state: none|requested, request: {requested_at, requested_by, reason}|null}}
//   PUT    /api/settings/contract/company  {name, representative, phone, email, address}
//   PUT    /api/settings/contract/licences {licence_count, plan}
//            409 change_limit {next} (once a calendar day) · 409 licences_in_use {active}
//   POST   /api/settings/contract/termination {reason} · DELETE (withdraw)
// Every answer is the whole contract again.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard, timeZone } from '../session.js';
import { card, field, formatDateTime, formatLongDate, h, labelOr, messageArea, pageHeader, replaceChildren } from '../ui.js';

const PERM = 'manage_access';
const COMPANY = [
  ['name', 'tenants.name', 100],
  ['representative', 'tenants.representative', 50],
  ['phone', 'tenants.phone', 20],
  ['email', 'tenants.email', 254],
  ['address', 'tenants.address', 200],
];

export function render(main, ctx) {
  const { t, signal, lang } = ctx;
  const api = pageApi(signal);
  const tz = timeZone();
  const editable = !!guard(h('i', { dataset: { requires: PERM } }));
  const pageMsg = messageArea('contract-message');
  const changeAlert = h('div', { class: 'lock-alert', dataset: { testid: 'change-alert' } });

  // ---- summary
  const facts = h('dl', { class: 'facts', dataset: { testid: 'contract-facts' } });
  const licenceLine = h('p', { class: 'licence-use', dataset: { testid: 'licence-use' } }, '…');
  const nextChange = h('p', { class: 'muted', dataset: { testid: 'licence-next' } });

  function fact(label, value, testid) {
    return [h('dt', {}, label), h('dd', { dataset: testid ? { testid } : undefined }, value)];
  }

  // ---- company form
  const companyInputs = {};
  const bizNo = h('input', { type: 'text', name: 'business_number', readOnly: true, dataset: { testid: 'company-business-number' } });
  bizNo.readOnly = true;
  for (const [name, , max] of COMPANY) {
    companyInputs[name] = h('input', {
      type: name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text',
      name,
      maxlength: String(max),
      autocomplete: 'off',
      dataset: { testid: `company-${name}` },
    });
    companyInputs[name].readOnly = !editable;
  }
  const companySave = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: PERM, testid: 'company-save' } }, t('contract.companySave')));
  const companyForm = h(
    'form',
    { class: 'form form-grid', novalidate: true, dataset: { testid: 'company-form' } },
    field(t('tenants.name'), companyInputs.name),
    field(t('tenants.businessNumber'), bizNo, t('contract.businessNumberHint')),
    field(t('tenants.representative'), companyInputs.representative),
    field(t('tenants.phone'), companyInputs.phone, t('contract.phoneHint')),
    field(t('tenants.email'), companyInputs.email),
    field(t('tenants.address'), companyInputs.address),
    companySave ? h('div', { class: 'form-actions' }, companySave) : null,
  );
  companyForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!companySave) return;
    clearFieldErrors(companyForm);
    pageMsg.clear();
    const body = Object.fromEntries(COMPANY.map(([n]) => [n, companyInputs[n].value.trim()]));
    companySave.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/contract/company', body);
      if (signal.aborted) return;
      show(d);
      pageMsg.show(t('contract.companySaved'));
    } catch (err) {
      if (!signal.aborted) showFormErrors(companyForm, err, t);
    } finally {
      companySave.disabled = false;
    }
  });

  // ---- licence / plan change
  const countIn = h('input', { type: 'number', name: 'licence_count', min: '1', max: '10000', step: '1', inputmode: 'numeric', dataset: { testid: 'licence-count' } });
  const planIn = h('input', { type: 'text', name: 'plan', maxlength: '32', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', dataset: { testid: 'plan' } });
  const changeBtn = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'licence-save' } }, t('contract.change'));
  const changeForm = h(
    'form',
    { class: 'form form-grid', novalidate: true, dataset: { testid: 'licence-form' } },
    field(t('contract.licenceCount'), countIn, t('contract.licenceCountHint')),
    field(t('tenants.plan'), planIn, t('contract.planHint')),
    h('div', { class: 'form-actions' }, changeBtn),
  );
  changeForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(changeForm);
    changeAlert.replaceChildren();
    pageMsg.clear();
    const n = countIn.value.trim() === '' ? null : Number(countIn.value);
    const body = { licence_count: Number.isFinite(n) ? n : null, plan: planIn.value.trim() };
    changeBtn.disabled = true;
    try {
      const d = await api('PUT', '/api/settings/contract/licences', body);
      if (signal.aborted) return;
      show(d);
      pageMsg.show(t('contract.changed', { n: Number(d?.licence_count) || 0 }));
    } catch (err) {
      if (signal.aborted) return;
      if (err?.code === 'change_limit' || err?.code === 'licences_in_use') {
        const text =
          err.code === 'change_limit' ? t('error.change_limit', { next: formatLongDate(err.params?.next, lang) }) : errorText(err, t);
        replaceChildren(
          changeAlert,
          h('div', { class: 'alert alert-error alert-strong', role: 'alert', dataset: { code: err.code } }, h('p', { class: 'alert-title' }, text)),
        );
        changeAlert.scrollIntoView({ block: 'nearest' });
      } else showFormErrors(changeForm, err, t);
    } finally {
      changeBtn.disabled = false;
    }
  });

  // ---- termination
  const termBox = h('div', { dataset: { testid: 'termination' } });
  function showTermination(d) {
    const term = d?.termination || { state: 'none' };
    const state = h('p', { class: 'termination-state', dataset: { testid: 'termination-state', state: String(term.state) } });
    if (term.state === 'requested' && term.request) {
      const r = term.request;
      state.textContent = t('contract.terminationRequested', { at: formatDateTime(r.requested_at, tz), by: String(r.requested_by ?? t('contract.unknownUser')) });
      const withdraw = guard(h('button', { type: 'button', class: 'button', dataset: { requires: PERM, testid: 'termination-withdraw' } }, t('contract.withdraw')));
      const msg = h('div', { class: 'row-message' });
      withdraw?.addEventListener('click', async () => {
        withdraw.disabled = true;
        try {
          const nd = await api('DELETE', '/api/settings/contract/termination');
          if (signal.aborted) return;
          show(nd);
          pageMsg.show(t('contract.withdrawn'));
        } catch (err) {
          withdraw.disabled = false;
          replaceChildren(msg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
        }
      });
      replaceChildren(
        termBox,
        state,
        r.reason ? h('p', {}, h('span', { class: 'muted' }, `${t('contract.reason')}: `), String(r.reason)) : null,
        withdraw,
        msg,
      );
      return;
    }
    state.textContent = t('contract.noTermination');
    const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '500', dataset: { testid: 'termination-reason' } });
    const submit = h('button', { type: 'button', class: 'button danger', dataset: { testid: 'termination-request' } }, t('contract.requestTermination'));
    const form = h('form', { class: 'form', novalidate: true, dataset: { testid: 'termination-form' } }, field(t('contract.reason'), reason, t('contract.reasonHint')), h('div', { class: 'form-actions' }, submit));
    // Two steps: the first click asks, the second (confirm) sends.
    submit.addEventListener('click', () => {
      clearFieldErrors(form);
      const ask = t('contract.terminationAsk');
      const yes = h('button', { type: 'submit', class: 'button small danger', dataset: { testid: 'termination-confirm' } }, t('contract.requestTermination'));
      const no = h('button', { type: 'button', class: 'button small' }, t('form.cancel'));
      const box = h('div', { class: 'row-confirm', role: 'group', 'aria-label': ask }, h('span', {}, ask), yes, no);
      submit.replaceWith(box);
      yes.focus();
      no.addEventListener('click', () => {
        box.replaceWith(submit);
        submit.focus();
      });
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const yes = form.querySelector('[data-testid="termination-confirm"]');
      if (yes) yes.disabled = true;
      try {
        const nd = await api('POST', '/api/settings/contract/termination', { reason: reason.value.trim() });
        if (signal.aborted) return;
        show(nd);
        pageMsg.show(t('contract.terminationSent'));
      } catch (err) {
        if (signal.aborted) return;
        const box = form.querySelector('.row-confirm');
        if (box) box.replaceWith(submit);
        showFormErrors(form, err, t);
      }
    });
    replaceChildren(termBox, state, editable ? form : null);
  }

  function show(d) {
    if (!d) return;
    const c = d.company || {};
    const sp = d.service_period || {};
    const active = Number(d.active_agents) || 0;
    const limit = Number(d.licence_count) || 0;
    licenceLine.textContent = t('contract.licences', { active, limit });
    licenceLine.dataset.full = String(active >= limit);
    const next = d.licence_change?.possible_from;
    nextChange.textContent = next ? t('contract.nextChange', { date: formatLongDate(next, lang) }) : '';
    replaceChildren(
      facts,
      fact(t('tenants.servicePeriod'), t('contract.period', { start: formatLongDate(sp.start, lang), end: formatLongDate(sp.end, lang) }), 'service-period'),
      fact(t('contract.state'), h('span', { class: `status status-${d.service_state === 'active' ? 'active' : 'disabled'}` }, labelOr(t, `contract.state.${d.service_state}`, d.service_state)), 'service-state'),
      fact(t('tenants.plan'), labelOr(t, `plan.${d.plan}`, d.plan), 'contract-plan'),
      fact(t('contract.licenceCount'), t('contract.licenceN', { n: limit }), 'contract-licences'),
      fact(t('tenants.timeZone'), labelOr(t, `tz.${d.time_zone}`, d.time_zone), 'contract-tz'),
    );
    bizNo.value = String(c.business_number ?? '');
    for (const [n] of COMPANY) companyInputs[n].value = String(c[n] ?? '');
    countIn.value = String(limit || '');
    countIn.min = String(Math.max(1, active));
    planIn.value = String(d.plan ?? '');
    showTermination(d);
  }

  replaceChildren(
    main,
    pageHeader(t('page.settings.contract'), t('contract.lead')),
    pageMsg.el,
    card(t('contract.summaryTitle'), licenceLine, facts),
    card(t('contract.changeTitle'), h('p', { class: 'muted' }, t('contract.changeLead')), nextChange, changeAlert, changeForm),
    card(t('tenants.company'), companyForm),
    card(t('contract.terminationTitle'), h('p', { class: 'muted' }, t('contract.terminationLead')), termBox),
  );

  (async () => {
    try {
      const d = await api('GET', '/api/settings/contract');
      if (!signal.aborted) show(d);
    } catch (err) {
      if (!signal.aborted) pageMsg.show(errorText(err, t), 'error');
    }
  })();
}
