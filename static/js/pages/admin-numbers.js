// Number inventory (번호 관리) — ARS-1, TEL-1 (issue 14, finding 1). Platform operator only.
//   GET  /api/operator/numbers?tenant_id=&q=&current=true → {items: [NumberHolding]}
//   POST /api/operator/numbers {number, tenant_id, since?} → 201 NumberHolding
//   POST /api/operator/numbers/{id}/release → 200 NumberHolding (409 number_released)
//   GET  /api/operator/tenants → {items: [Tenant]} (the company choices)
// A number has one holder at a time; events are routed to the holder at the
// event's time, so releasing keeps a company's history with it.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { timeZone } from '../session.js';
import { card, confirmInRow, dataTable, field, formatDateTime, h, messageArea, pageHeader, replaceChildren } from '../ui.js';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const tz = timeZone();
  const msg = messageArea('numbers-message');
  let tenants = [];

  // ---- provision form -----------------------------------------------------------
  const numberIn = h('input', { name: 'number', type: 'tel', inputmode: 'tel', autocomplete: 'off', maxlength: '20', dataset: { testid: 'number-number' } });
  const tenantSel = h('select', { name: 'tenant_id', dataset: { testid: 'number-tenant' } });
  const sinceIn = h('input', { name: 'since', type: 'date', lang: document.documentElement.lang || 'ko', dataset: { testid: 'number-since' } });
  const submit = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'number-submit' } }, t('numbers.provision'));
  const form = h(
    'form',
    { class: 'form', novalidate: true, dataset: { testid: 'number-form' } },
    h(
      'div',
      { class: 'form-grid' },
      field(t('numbers.number'), numberIn, t('numbers.numberHint')),
      field(t('numbers.company'), tenantSel),
      field(t('numbers.since'), sinceIn, t('numbers.sinceHint')),
    ),
    h('div', { class: 'form-actions' }, submit),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    msg.clear();
    submit.disabled = true;
    try {
      const body = { number: numberIn.value.trim(), tenant_id: Number(tenantSel.value) || 0 };
      if (sinceIn.value) body.since = sinceIn.value;
      const res = await api('POST', '/api/operator/numbers', body);
      if (signal.aborted) return;
      numberIn.value = '';
      sinceIn.value = '';
      msg.show(t('numbers.provisioned', { number: res?.formatted ?? '', company: res?.tenant_name ?? '' }));
      await load();
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, err, t);
    } finally {
      submit.disabled = false;
    }
  });

  // ---- search + list -------------------------------------------------------------
  const qIn = h('input', { name: 'q', type: 'search', inputmode: 'tel', autocomplete: 'off', dataset: { testid: 'numbers-q' } });
  const currentOnly = h('input', { type: 'checkbox', name: 'current', dataset: { testid: 'numbers-current' } });
  const searchForm = h(
    'form',
    { class: 'filters', role: 'search', dataset: { testid: 'numbers-search' } },
    field(t('numbers.search'), qIn),
    h('label', { class: 'check' }, currentOnly, ' ', t('numbers.currentOnly')),
    h('button', { type: 'submit', class: 'button' }, t('numbers.searchAction')),
  );
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  currentOnly.addEventListener('change', () => load());

  const { table, tbody } = dataTable('numbers', [
    t('numbers.number'),
    t('numbers.company'),
    t('numbers.since'),
    t('numbers.until'),
    t('numbers.state'),
    h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('numbers.actions'))),
  ]);
  const listStatus = h('p', { class: 'muted', role: 'status' }, t('page.loading'));

  function rowFor(n) {
    const actions = h('div', { class: 'row-actions' });
    if (n.current) {
      const release = h('button', { type: 'button', class: 'button small', dataset: { testid: 'number-release' } }, t('numbers.release'));
      release.addEventListener('click', () =>
        confirmInRow(actions, release, {
          ask: t('numbers.releaseAsk', { number: n.formatted, company: n.tenant_name }),
          confirm: t('numbers.release'),
          cancel: t('form.cancel'),
          testid: 'number-release-confirm',
          onConfirm: async (restore) => {
            try {
              await api('POST', `/api/operator/numbers/${encodeURIComponent(n.id)}/release`);
              if (signal.aborted) return;
              msg.show(t('numbers.released', { number: n.formatted, company: n.tenant_name }));
              await load();
            } catch (err) {
              restore();
              if (!signal.aborted) msg.show(errorText(err, t), 'error');
            }
          },
        }),
      );
      actions.append(release);
    }
    return h(
      'tr',
      { dataset: { testid: 'number-row', number: n.number, current: String(!!n.current) } },
      h('td', { class: 'mono nowrap' }, n.formatted),
      h('td', {}, n.tenant_name),
      h('td', { class: 'nowrap' }, n.since ? formatDateTime(n.since, tz) : t('numbers.sinceAlways')),
      h('td', { class: 'nowrap' }, n.until ? formatDateTime(n.until, tz) : ''),
      h('td', { class: 'nowrap' }, n.current ? t('numbers.held') : t('numbers.releasedState')),
      h('td', {}, actions),
    );
  }

  async function load() {
    try {
      const params = new URLSearchParams();
      if (qIn.value.trim()) params.set('q', qIn.value.trim());
      if (currentOnly.checked) params.set('current', 'true');
      const qs = params.toString();
      const res = await api('GET', `/api/operator/numbers${qs ? `?${qs}` : ''}`);
      if (signal.aborted) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      tbody.replaceChildren(...items.map(rowFor));
      listStatus.textContent = items.length ? '' : t('numbers.empty');
    } catch (err) {
      if (signal.aborted) return;
      listStatus.textContent = '';
      msg.show(errorText(err, t), 'error');
    }
  }

  async function loadTenants() {
    try {
      const res = await api('GET', '/api/operator/tenants');
      if (signal.aborted) return;
      tenants = Array.isArray(res?.items) ? res.items : [];
      replaceChildren(
        tenantSel,
        h('option', { value: '' }, t('numbers.chooseCompany')),
        ...tenants.map((tn) => h('option', { value: String(tn.id) }, String(tn.name ?? ''))),
      );
    } catch (err) {
      if (!signal.aborted) msg.show(errorText(err, t), 'error');
    }
  }

  replaceChildren(
    main,
    pageHeader(t('page.admin.numbers'), t('numbers.lead')),
    msg.el,
    card(t('numbers.provisionTitle'), form),
    card(t('numbers.listTitle'), searchForm, listStatus, h('div', { class: 'table-wrap' }, table)),
  );
  loadTenants();
  load();
}
