// Tenants (테넌트 관리) — AUTH-1, AUTH-2, CON-1. Platform operator only.
//   GET  /api/operator/tenants → {items: [Tenant]}
//   POST /api/operator/tenants {name, business_number, representative, phone,
//        email, address, time_zone, plan, licence_count, service_start,
//        service_end, owner: {login_id, name, password}} → 201 {tenant, owner}
// 422 field errors use the body's names ("name", "licence_count",
// "owner.login_id"); the form's inputs carry exactly those names (UI-4).
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { timeZone } from '../session.js';
import { card, field, formatDate, h, labelOr, messageArea, pageHeader, replaceChildren } from '../ui.js';
import { workerLine } from './operator-worker.js';

const DEFAULT_TZ = 'Asia/Seoul';
const PLANS = ['basic', 'standard', 'premium'];
const MIN_PASSWORD = 10;

function timeZones() {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes(DEFAULT_TZ) ? zones : [DEFAULT_TZ, ...zones];
  } catch {
    return [DEFAULT_TZ, 'UTC'];
  }
}

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const msg = messageArea('tenants-message');

  // ---- create form ------------------------------------------------------------
  const input = (name, props = {}) =>
    h('input', { name, type: 'text', autocomplete: 'off', dataset: { testid: `tenant-${name.replace('.', '-')}` }, ...props });
  const ins = {
    name: input('name', { required: true, maxlength: '100' }),
    business_number: input('business_number', { inputmode: 'numeric', placeholder: '123-45-67890' }),
    representative: input('representative'),
    phone: input('phone', { type: 'tel' }),
    email: input('email', { type: 'email' }),
    address: input('address'),
    time_zone: input('time_zone', { list: 'tenant-time-zones', value: DEFAULT_TZ, spellcheck: 'false' }),
    plan: input('plan', { list: 'tenant-plans', value: 'basic', spellcheck: 'false' }),
    licence_count: input('licence_count', { type: 'number', min: '1', step: '1', inputmode: 'numeric' }),
    service_start: input('service_start', { type: 'date' }),
    service_end: input('service_end', { type: 'date' }),
    'owner.login_id': input('owner.login_id', { required: true, maxlength: '32', autocapitalize: 'none', spellcheck: 'false' }),
    'owner.name': input('owner.name', { required: true, maxlength: '50' }),
    'owner.password': input('owner.password', { type: 'password', required: true, autocomplete: 'new-password', minlength: String(MIN_PASSWORD) }),
  };
  const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'tenant-submit' } }, t('tenants.create'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, dataset: { testid: 'tenant-form' } },
    h(
      'fieldset',
      { class: 'form-grid' },
      h('legend', {}, t('tenants.company')),
      field(t('tenants.name'), ins.name),
      field(t('tenants.businessNumber'), ins.business_number),
      field(t('tenants.representative'), ins.representative),
      field(t('tenants.phone'), ins.phone),
      field(t('tenants.email'), ins.email),
      field(t('tenants.address'), ins.address),
    ),
    h(
      'fieldset',
      { class: 'form-grid' },
      h('legend', {}, t('tenants.contract')),
      field(t('tenants.timeZone'), ins.time_zone),
      field(t('tenants.plan'), ins.plan),
      field(t('tenants.licenceCount'), ins.licence_count),
      field(t('tenants.serviceStart'), ins.service_start),
      field(t('tenants.serviceEnd'), ins.service_end),
    ),
    h(
      'fieldset',
      { class: 'form-grid' },
      h('legend', {}, t('tenants.owner')),
      field(t('users.loginId'), ins['owner.login_id'], t('users.loginIdHint')),
      field(t('users.name'), ins['owner.name']),
      field(t('users.password'), ins['owner.password'], t('form.passwordHint', { min: MIN_PASSWORD })),
    ),
    h('datalist', { id: 'tenant-time-zones' }, timeZones().map((z) => h('option', { value: z }))),
    h('datalist', { id: 'tenant-plans' }, PLANS.map((p) => h('option', { value: p }))),
    h('div', { class: 'form-actions' }, submit),
  );

  function body() {
    const v = (k) => ins[k].value.trim();
    const count = v('licence_count');
    return {
      name: v('name'),
      business_number: v('business_number'),
      representative: v('representative'),
      phone: v('phone'),
      email: v('email'),
      address: v('address'),
      time_zone: v('time_zone') || DEFAULT_TZ,
      plan: v('plan'),
      licence_count: count === '' ? null : Number(count),
      service_start: v('service_start') || null,
      service_end: v('service_end') || null,
      owner: { login_id: v('owner.login_id'), name: v('owner.name'), password: ins['owner.password'].value },
    };
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    msg.clear();
    submit.disabled = true;
    try {
      const res = await api('POST', '/api/operator/tenants', body());
      form.reset();
      msg.show(
        t('tenants.created', {
          name: res?.tenant?.name ?? '',
          login: res?.owner?.login_id ?? '',
        }),
      );
      await load();
    } catch (err) {
      showFormErrors(form, err, t);
    } finally {
      submit.disabled = false;
    }
  });

  // ---- list ---------------------------------------------------------------------
  const tz = timeZone();
  const tbody = h('tbody', { dataset: { testid: 'tenants-body' } });
  const listStatus = h('p', { class: 'muted', role: 'status' }, t('page.loading'));
  const table = h(
    'table',
    { class: 'data-table', dataset: { testid: 'tenants-table' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['tenants.name', 'tenants.businessNumber', 'tenants.representative', 'tenants.plan', 'tenants.licenceCount', 'tenants.lines', 'tenants.servicePeriod', 'tenants.timeZone', 'users.status', 'users.created'].map(
          (k) => h('th', { scope: 'col' }, t(k)),
        ),
      ),
    ),
    tbody,
  );

  // MON-1's total: the contracted lines, set here (issue 15).
  function linesCell(tn) {
    const input = h('input', { type: 'number', min: '1', max: '100000', step: '1', class: 'narrow', 'aria-label': t('tenants.lines'), value: tn.contracted_lines ?? '', dataset: { testid: 'tenant-lines' } });
    const save = h('button', { type: 'button', class: 'button small', dataset: { testid: 'tenant-lines-save' } }, t('tenants.linesSave'));
    save.addEventListener('click', async () => {
      const v = input.value.trim();
      try {
        await api('PUT', `/api/operator/tenants/${encodeURIComponent(tn.id)}/lines`, { lines: v === '' ? null : Number(v) });
        if (!signal.aborted) msg.show(t('tenants.linesSaved', { name: String(tn.name ?? '') }));
      } catch (err) {
        if (!signal.aborted) msg.show(errorText(err, t), 'error');
      }
    });
    return h('span', { class: 'inline-form' }, input, save);
  }

  function rowFor(tn) {
    const period = [tn.service_start, tn.service_end].filter(Boolean).join(' ~ ');
    return h(
      'tr',
      { dataset: { testid: 'tenant-row', name: String(tn.name ?? '') } },
      h('td', {}, String(tn.name ?? '')),
      h('td', { class: 'mono' }, String(tn.business_number ?? '')),
      h('td', {}, String(tn.representative ?? '')),
      h('td', {}, String(tn.plan ?? '')),
      h('td', { class: 'num' }, String(tn.licence_count ?? '')),
      h('td', { class: 'nowrap' }, linesCell(tn)),
      h('td', { class: 'nowrap' }, period),
      h('td', {}, String(tn.time_zone ?? '')),
      h('td', {}, labelOr(t, `status.${tn.status}`, tn.status)),
      h('td', { class: 'nowrap' }, formatDate(tn.created_at, tz)),
    );
  }

  async function load() {
    try {
      const res = await api('GET', '/api/operator/tenants');
      if (signal.aborted) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      tbody.replaceChildren(...items.map(rowFor));
      listStatus.textContent = items.length ? '' : t('tenants.empty');
    } catch (err) {
      if (signal.aborted) return;
      listStatus.textContent = '';
      msg.show(errorText(err, t), 'error');
    }
  }

  replaceChildren(
    main,
    pageHeader(t('page.admin.tenants'), t('tenants.lead')),
    workerLine(ctx),
    msg.el,
    card(t('tenants.createTitle'), form),
    card(t('tenants.listTitle'), listStatus, h('div', { class: 'table-wrap' }, table)),
  );
  load();
}
