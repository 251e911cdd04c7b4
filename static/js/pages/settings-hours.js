// Business hours and holidays (ARS-4, ARS-5): two sections of the ARS screen.
//   GET/PUT /api/settings/hours     → {groups: {weekdays, weekend}, days: {mon..sun}}
//            each entry {available, ranges: [{start: "09:00", end: "12:00"}]}
//   GET     /api/settings/hours/status → {open, reason: holiday|day_off|out_of_hours|null,
//                                          holiday: {name, kind}|null, next_open}
//   GET     /api/settings/holidays?year=  → {year, items: [{id, date, kind, repeat, name}]}
//   POST    /api/settings/holidays        {date, kind, repeat, name} → 201
//   DELETE  /api/settings/holidays/{id}
//   POST    /api/settings/holidays/import?year= → {added, skipped, ...}
// The inputs are named with the server's error paths (groups.weekdays.ranges.1.end;
// the range row itself is a <fieldset name="groups.weekdays.ranges.1"> for overlaps),
// so showFormErrors() puts every refusal next to what it is about (UI-4).
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { guard } from '../session.js';
import { card, field, formatLocalDateTime, formatLongDate, h, replaceChildren, uid, dataTable, confirmInRow } from '../ui.js';

const PERM = 'manage';
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKEND = new Set(['sat', 'sun']);
const KINDS = ['holiday', 'national', 'temporary'];
const IMPORT_YEARS = [2025, 2030];

/** The hours card (editor + live status). `onChange` is told after a save. */
export function hoursSection(ctx, pageMsg) {
  const { t, lang, signal } = ctx;
  const api = pageApi(signal);
  const editable = !!guard(h('i', { dataset: { requires: PERM } }));
  const status = h('p', { class: 'hours-status', role: 'status', 'aria-live': 'polite', dataset: { testid: 'hours-status' } }, t('page.loading'));

  async function loadStatus() {
    try {
      const s = await api('GET', '/api/settings/hours/status');
      if (signal.aborted) return;
      status.dataset.open = String(!!s?.open);
      if (s?.open) {
        status.textContent = t('hours.openNow');
        return;
      }
      let why = t('hours.closedNow');
      if (s?.reason === 'holiday') why += t('hours.closedHoliday', { name: String(s.holiday?.name ?? '') });
      else if (s?.reason === 'day_off') why += t('hours.closedDayOff');
      const next = s?.next_open ? t('hours.nextOpen', { at: formatLocalDateTime(s.next_open, lang) }) : t('hours.noNextOpen');
      status.textContent = `${why} — ${next}`;
    } catch (err) {
      if (!signal.aborted) status.textContent = errorText(err, t);
    }
  }

  // ---- one entry (a group or a day): available + ranges
  function entryEditor(path, legend) {
    const rangesBox = h('fieldset', { class: 'hours-ranges', name: `${path}.ranges` }, h('legend', { class: 'visually-hidden' }, t('hours.rangesOf', { what: legend })));
    const avail = h('input', { type: 'checkbox', name: `${path}.available`, id: uid('av'), dataset: { testid: `${path}-available` } });
    avail.disabled = !editable;
    const addBtn = h('button', { type: 'button', class: 'button small', dataset: { testid: `${path}-add-range` } }, t('hours.addRange'));
    addBtn.hidden = !editable;
    const body = h('div', { class: 'hours-entry-body' }, rangesBox, addBtn);

    function renumber() {
      [...rangesBox.querySelectorAll(':scope > .hours-range')].forEach((row, i) => {
        row.name = `${path}.ranges.${i}`;
        row.querySelector('input[data-part="start"]').name = `${path}.ranges.${i}.start`;
        row.querySelector('input[data-part="end"]').name = `${path}.ranges.${i}.end`;
        const n = i + 1;
        row.querySelector('legend').textContent = t('hours.rangeN', { what: legend, n });
        row.querySelector('label[data-part="start"]').textContent = t('hours.start');
        row.querySelector('label[data-part="end"]').textContent = t('hours.end');
        row.querySelector('button').setAttribute('aria-label', t('hours.removeRangeN', { what: legend, n }));
      });
    }

    function addRange(r = {}, focus = false) {
      const timeIn = (part, value) => {
        const el = h('input', {
          type: 'text',
          inputmode: 'numeric',
          autocomplete: 'off',
          maxlength: '5',
          size: '5',
          placeholder: part === 'start' ? '09:00' : '18:00',
          pattern: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00',
          id: uid('tm'),
          dataset: { part, testid: `range-${part}` },
        });
        el.value = String(value ?? '');
        el.readOnly = !editable;
        return el;
      };
      const start = timeIn('start', r.start);
      const end = timeIn('end', r.end);
      const remove = h('button', { type: 'button', class: 'button small', dataset: { testid: 'range-remove' } }, t('hours.removeRange'));
      remove.hidden = !editable;
      const row = h(
        'fieldset',
        { class: 'hours-range', dataset: { testid: 'hours-range' } },
        h('legend', { class: 'visually-hidden' }),
        h('div', { class: 'field' }, h('label', { for: start.id, dataset: { part: 'start' } }), start),
        h('span', { class: 'range-dash', 'aria-hidden': 'true' }, '–'),
        h('div', { class: 'field' }, h('label', { for: end.id, dataset: { part: 'end' } }), end),
        remove,
      );
      remove.addEventListener('click', () => {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        (next?.querySelector('input') || addBtn).focus();
      });
      rangesBox.append(row);
      renumber();
      if (focus) start.focus();
    }
    addBtn.addEventListener('click', () => addRange({}, true));

    const showBody = () => {
      body.hidden = !avail.checked;
    };
    avail.addEventListener('change', () => {
      showBody();
      if (avail.checked && !rangesBox.querySelector('.hours-range')) addRange({}, true);
    });

    const el = h(
      'div',
      { class: 'hours-entry' },
      h('div', { class: 'checkbox-field' }, h('label', { for: avail.id }, avail, ' ', t('hours.available'))),
      body,
    );

    return {
      el,
      set(entry) {
        rangesBox.querySelectorAll('.hours-range').forEach((r) => r.remove());
        avail.checked = !!entry?.available;
        for (const r of Array.isArray(entry?.ranges) ? entry.ranges : []) addRange(r);
        showBody();
      },
      get() {
        const ranges = [...rangesBox.querySelectorAll(':scope > .hours-range')].map((row) => ({
          start: row.querySelector('input[data-part="start"]').value.trim(),
          end: row.querySelector('input[data-part="end"]').value.trim(),
        }));
        return { available: avail.checked, ranges };
      },
    };
  }

  const groupLabel = { weekdays: t('hours.weekdays'), weekend: t('hours.weekend') };
  const groups = {
    weekdays: entryEditor('groups.weekdays', groupLabel.weekdays),
    weekend: entryEditor('groups.weekend', groupLabel.weekend),
  };
  const groupSets = ['weekdays', 'weekend'].map((g) =>
    h('fieldset', { class: 'hours-group', dataset: { testid: `hours-group-${g}` } }, h('legend', {}, groupLabel[g]), groups[g].el),
  );

  // ---- per-day overrides
  const days = {};
  const dayRows = DAYS.map((d) => {
    const label = t(`hours.day.${d}`);
    const editor = entryEditor(`days.${d}`, label);
    const own = h('input', { type: 'checkbox', id: uid('own'), dataset: { testid: `override-${d}` } });
    own.disabled = !editable;
    const follows = h('p', { class: 'muted hours-follows' }, t('hours.followsGroup', { group: groupLabel[WEEKEND.has(d) ? 'weekend' : 'weekdays'] }));
    const show = () => {
      editor.el.hidden = !own.checked;
      follows.hidden = own.checked;
    };
    own.addEventListener('change', () => {
      if (own.checked) editor.set(groups[WEEKEND.has(d) ? 'weekend' : 'weekdays'].get());
      show();
    });
    days[d] = { editor, own, show };
    return h(
      'fieldset',
      { class: 'hours-day', dataset: { testid: `hours-day-${d}` } },
      h('legend', {}, label),
      h('div', { class: 'checkbox-field' }, h('label', { for: own.id }, own, ' ', t('hours.ownHours'))),
      follows,
      editor.el,
    );
  });

  function show(d) {
    groups.weekdays.set(d?.groups?.weekdays);
    groups.weekend.set(d?.groups?.weekend);
    for (const day of DAYS) {
      const entry = d?.days?.[day];
      days[day].own.checked = !!entry;
      days[day].editor.set(entry || { available: false, ranges: [] });
      days[day].show();
    }
    if (DAYS.some((day) => days[day].own.checked)) daysBox.open = true;
  }

  /** Errors about an entry that is switched off (or folded away) must still be seen. */
  function revealErrors() {
    for (const e of form.querySelectorAll('.field-error')) {
      for (let el = e.parentElement; el && el !== form; el = el.parentElement) {
        if (el.hidden) el.hidden = false;
        if (el.tagName === 'DETAILS') el.open = true;
      }
    }
    const first = form.querySelector('[aria-invalid="true"]');
    const target = first && first.tagName === 'FIELDSET' ? first.querySelector('input') : first;
    if (target && typeof target.focus === 'function') target.focus();
  }

  const daysBox = h('details', { class: 'hours-days', dataset: { testid: 'hours-days' } }, h('summary', {}, t('hours.daysTitle')), h('p', { class: 'field-hint' }, t('hours.daysLead')), dayRows);
  const saveBtn = guard(h('button', { type: 'submit', class: 'button primary', dataset: { requires: PERM, testid: 'hours-save' } }, t('hours.save')));
  const form = h(
    'form',
    { class: 'form hours-form', novalidate: true, dataset: { testid: 'hours-form' } },
    h('p', { class: 'field-hint' }, t('hours.timeHint')),
    h('div', { class: 'hours-groups' }, groupSets),
    daysBox,
    saveBtn ? h('div', { class: 'form-actions' }, saveBtn) : null,
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!saveBtn) return;
    clearFieldErrors(form);
    pageMsg.clear();
    const body = { groups: { weekdays: groups.weekdays.get(), weekend: groups.weekend.get() }, days: {} };
    for (const d of DAYS) if (days[d].own.checked) body.days[d] = days[d].editor.get();
    saveBtn.disabled = true;
    try {
      const saved = await api('PUT', '/api/settings/hours', body);
      if (signal.aborted) return;
      show(saved);
      pageMsg.show(t('hours.saved'));
      loadStatus();
    } catch (err) {
      if (signal.aborted) return;
      showFormErrors(form, err, t);
      revealErrors();
    } finally {
      saveBtn.disabled = false;
    }
  });

  async function load() {
    try {
      const d = await api('GET', '/api/settings/hours');
      if (!signal.aborted) show(d);
    } catch (err) {
      if (!signal.aborted) pageMsg.show(errorText(err, t), 'error');
    }
    loadStatus();
  }

  const el = card(t('ars.hoursTitle'), h('p', { class: 'muted' }, t('hours.lead')), status, form);
  el.dataset.testid = 'hours-card';
  el.id = 'business-hours';
  return { el, load, loadStatus };
}

/** The holidays card: a year's list, add, delete, national-holiday import. */
export function holidaysSection(ctx, pageMsg, onChange) {
  const { t, lang, signal } = ctx;
  const api = pageApi(signal);
  const editable = !!guard(h('i', { dataset: { requires: PERM } }));
  const thisYear = new Date().getFullYear();
  const years = new Set();
  for (let y = Math.min(thisYear - 1, IMPORT_YEARS[0]); y <= Math.max(thisYear + 1, IMPORT_YEARS[1]); y++) years.add(y);
  const yearSel = h(
    'select',
    { name: 'year', dataset: { testid: 'holiday-year' } },
    [...years].map((y) => h('option', { value: String(y), selected: y === thisYear }, t('holidays.yearN', { n: y }))),
  );
  const yearField = field(t('holidays.year'), yearSel);
  const importBtn = guard(h('button', { type: 'button', class: 'button', dataset: { requires: PERM, testid: 'holiday-import' } }, t('holidays.import')));
  const importResult = h('p', { class: 'muted', role: 'status', dataset: { testid: 'holiday-import-result' } });
  const importMsg = h('div', { class: 'row-message' });

  const listState = h('p', { class: 'muted', role: 'status', dataset: { testid: 'holidays-empty' } }, t('page.loading'));
  const { table, tbody } = dataTable('holidays', [
    t('holidays.date'), t('holidays.name'), t('holidays.kind'), t('holidays.repeat'),
    guard(h('th', { scope: 'col', dataset: { requires: PERM } }, t('holidays.actions'))),
  ]);

  function rowFor(x) {
    const yearly = x.repeat === 'yearly';
    const rowMsg = h('div', { class: 'row-message' });
    const del = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'holiday-delete' } }, t('holidays.delete'));
    const actions = h('div', { class: 'row-actions' }, del);
    del.addEventListener('click', () => {
      const ask = t('holidays.deleteAsk', { name: String(x.name ?? '') });
      confirmInRow(actions, del, {
        ask,
        confirm: t('holidays.delete'),
        cancel: t('form.cancel'),
        testid: 'holiday-delete-confirm',
        onConfirm: async (restore) => {
          try {
            await api('DELETE', `/api/settings/holidays/${encodeURIComponent(x.id)}`);
            if (signal.aborted) return;
            pageMsg.show(t('holidays.deleted', { name: String(x.name ?? '') }));
            await load();
            onChange?.();
          } catch (err) {
            restore();
            replaceChildren(rowMsg, h('p', { class: 'field-error', role: 'alert' }, errorText(err, t)));
          }
        },
      });
    });
    return h(
      'tr',
      { dataset: { testid: 'holiday-row', date: String(x.date ?? ''), kind: String(x.kind ?? '') } },
      h('td', { class: 'nowrap', dataset: { testid: 'holiday-date' } }, formatLongDate(x.date, lang, { year: !yearly, weekday: !yearly })),
      h('td', { class: 'wrap', dataset: { testid: 'holiday-name' } }, String(x.name ?? '')),
      h('td', {}, t(`holidays.kind.${KINDS.includes(x.kind) ? x.kind : 'holiday'}`)),
      h('td', {}, t(yearly ? 'holidays.yearly' : 'holidays.once')),
      guard(h('td', { dataset: { requires: PERM } }, actions, rowMsg)),
    );
  }

  async function load() {
    try {
      const res = await api('GET', `/api/settings/holidays?year=${encodeURIComponent(yearSel.value)}`);
      if (signal.aborted) return;
      const items = Array.isArray(res?.items) ? res.items : [];
      tbody.replaceChildren(...items.map(rowFor));
      listState.textContent = items.length ? t('holidays.count', { n: items.length }) : t('holidays.empty', { year: yearSel.value });
    } catch (err) {
      if (signal.aborted) return;
      listState.textContent = '';
      pageMsg.show(errorText(err, t), 'error');
    }
  }
  yearSel.addEventListener('change', () => {
    importResult.textContent = '';
    importMsg.replaceChildren();
    load();
  });

  if (importBtn) {
    importBtn.addEventListener('click', async () => {
      importBtn.disabled = true;
      importResult.textContent = '';
      importMsg.replaceChildren();
      try {
        const r = await api('POST', `/api/settings/holidays/import?year=${encodeURIComponent(yearSel.value)}`);
        if (signal.aborted) return;
        importResult.textContent = t('holidays.imported', { year: yearSel.value, added: Number(r?.added) || 0, skipped: Number(r?.skipped) || 0 });
        await load();
        onChange?.();
      } catch (err) {
        if (signal.aborted) return;
        const text = err?.fields?.year ? t('holidays.importYears', { min: IMPORT_YEARS[0], max: IMPORT_YEARS[1] }) : errorText(err, t);
        replaceChildren(importMsg, h('p', { class: 'field-error', role: 'alert' }, text));
      } finally {
        importBtn.disabled = false;
      }
    });
  }

  // ---- add form
  const dateIn = h('input', { type: 'date', name: 'date', required: true, dataset: { testid: 'holiday-date-input' } });
  const kindSel = h('select', { name: 'kind', dataset: { testid: 'holiday-kind' } }, KINDS.map((k) => h('option', { value: k }, t(`holidays.kind.${k}`))));
  const repeatSel = h(
    'select',
    { name: 'repeat', dataset: { testid: 'holiday-repeat' } },
    h('option', { value: 'once' }, t('holidays.once')),
    h('option', { value: 'yearly' }, t('holidays.yearly')),
  );
  const nameIn = h('input', { type: 'text', name: 'name', maxlength: '50', required: true, dataset: { testid: 'holiday-name-input' } });
  const addBtn = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'holiday-add' } }, t('holidays.add'));
  const form = h(
    'form',
    { class: 'form form-grid holiday-form', novalidate: true, dataset: { testid: 'holiday-form' } },
    h('h3', { class: 'card-subtitle form-grid-full' }, t('holidays.addTitle')),
    field(t('holidays.date'), dateIn),
    field(t('holidays.name'), nameIn, t('holidays.nameHint')),
    field(t('holidays.kind'), kindSel),
    field(t('holidays.repeat'), repeatSel),
    h('div', { class: 'form-actions' }, addBtn),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    pageMsg.clear();
    addBtn.disabled = true;
    try {
      const body = { date: dateIn.value, kind: kindSel.value, repeat: repeatSel.value, name: nameIn.value.trim() };
      const saved = await api('POST', '/api/settings/holidays', body);
      if (signal.aborted) return;
      pageMsg.show(t('holidays.added', { name: String(saved?.name ?? body.name), date: formatLongDate(saved?.date ?? body.date, lang) }));
      form.reset();
      const y = String(saved?.date ?? body.date).slice(0, 4);
      if (body.repeat === 'once' && [...yearSel.options].some((o) => o.value === y)) yearSel.value = y;
      await load();
      onChange?.();
      dateIn.focus();
    } catch (err) {
      if (!signal.aborted) showFormErrors(form, err, t);
    } finally {
      addBtn.disabled = false;
    }
  });

  const el = card(
    t('holidays.title'),
    h('p', { class: 'muted' }, t('holidays.lead')),
    h('div', { class: 'inline-form holiday-toolbar' }, yearField, importBtn),
    importResult,
    importMsg,
    listState,
    h('div', { class: 'table-wrap' }, table),
    editable ? h('div', { class: 'menu-form-wrap' }, form) : null,
  );
  el.dataset.testid = 'holidays-card';
  el.id = 'holidays';
  return { el, load };
}
