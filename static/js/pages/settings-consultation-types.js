// Consultation types (상담유형) — SVC-3. Owners and managers (manage).
//   GET    /api/settings/consultation-types        → {items: [{id, name, position, archived, used}]}
//   POST   /api/settings/consultation-types        {name} → 201 type
//   PATCH  /api/settings/consultation-types/{id}   {name?, archived?} → type (rename keeps the id)
//   DELETE /api/settings/consultation-types/{id}   → 204 deleted, or 200 {archived: true} when used
//   PUT    /api/settings/consultation-types/order  {ids: [every live id once]} → {items}
// Live types in order, each renamable inline and movable up/down; archived
// ones below with a restore button.
import { pageApi } from '../api.js';
import { clearFieldErrors, errorText, showFormErrors } from '../form-errors.js';
import { can } from '../session.js';
import { card, field, h, messageArea, pageHeader, replaceChildren, confirmInRow } from '../ui.js';

const PERM = 'manage';
const BASE = '/api/settings/consultation-types';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const editable = can(PERM);
  const pageMsg = messageArea('types-message');
  const list = h('ol', { class: 'type-list', dataset: { testid: 'types-list' } });
  const archivedList = h('ul', { class: 'type-list', dataset: { testid: 'types-archived' } });
  const archivedCard = card(t('types.archivedTitle'), archivedList);
  archivedCard.hidden = true;
  const listState = h('p', { class: 'muted', role: 'status' }, t('page.loading'));
  let live = [];

  // ---- add
  const nameIn = h('input', { name: 'name', type: 'text', maxlength: '50', required: true, dataset: { testid: 'type-name' } });
  const addBtn = h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'type-add' } }, t('types.add'));
  const addForm = h('form', { class: 'form inline-form', novalidate: true, dataset: { testid: 'type-form' } }, field(t('types.name'), nameIn), h('div', { class: 'form-actions' }, addBtn));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(addForm);
    pageMsg.clear();
    addBtn.disabled = true;
    try {
      const created = await api('POST', BASE, { name: nameIn.value.trim() });
      if (signal.aborted) return;
      addForm.reset();
      pageMsg.show(t('types.added', { name: String(created?.name ?? '') }));
      await load();
      nameIn.focus();
    } catch (err) {
      if (!signal.aborted) showFormErrors(addForm, err, t);
    } finally {
      addBtn.disabled = false;
    }
  });

  async function move(index, delta, focusTestid) {
    const ids = live.map((x) => x.id);
    const j = index + delta;
    if (j < 0 || j >= ids.length) return;
    [ids[index], ids[j]] = [ids[j], ids[index]];
    pageMsg.clear();
    try {
      await api('PUT', `${BASE}/order`, { ids });
      if (signal.aborted) return;
      pageMsg.show(t('types.orderSaved'));
      await load();
      // Keep the keyboard on the moved item's same button.
      const btn = list.querySelectorAll('.type-row')[j]?.querySelector(`[data-testid="${focusTestid}"]`);
      (btn && !btn.disabled ? btn : list.querySelectorAll('.type-row')[j]?.querySelector('input'))?.focus();
    } catch (err) {
      if (!signal.aborted) pageMsg.show(Object.values(err?.fields || {})[0] || errorText(err, t), 'error');
    }
  }

  function liveRow(ty, i) {
    const input = h('input', { name: 'name', type: 'text', maxlength: '50', value: String(ty.name ?? ''), 'aria-label': t('types.nameOf', { n: i + 1 }), dataset: { testid: 'type-row-name' } });
    input.readOnly = !editable;
    const row = h('form', { class: 'type-row', novalidate: true, dataset: { testid: 'type-row', id: String(ty.id) } }, h('div', { class: 'field' }, input));
    if (!editable) return h('li', {}, row);
    const rename = h('button', { type: 'submit', class: 'button small', dataset: { testid: 'type-rename' } }, t('types.rename'));
    const up = h('button', { type: 'button', class: 'button small', 'aria-label': t('types.upN', { name: String(ty.name) }), dataset: { testid: 'type-up' } }, t('types.up'));
    const down = h('button', { type: 'button', class: 'button small', 'aria-label': t('types.downN', { name: String(ty.name) }), dataset: { testid: 'type-down' } }, t('types.down'));
    const del = h('button', { type: 'button', class: 'button small danger', dataset: { testid: 'type-delete' } }, t('types.delete'));
    up.disabled = i === 0;
    down.disabled = i === live.length - 1;
    const actions = h('div', { class: 'row-actions' }, rename, up, down, del);
    row.append(actions);
    up.addEventListener('click', () => move(i, -1, 'type-up'));
    down.addEventListener('click', () => move(i, 1, 'type-down'));
    row.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFieldErrors(row);
      pageMsg.clear();
      rename.disabled = true;
      try {
        const after = await api('PATCH', `${BASE}/${encodeURIComponent(ty.id)}`, { name: input.value.trim() });
        if (signal.aborted) return;
        pageMsg.show(t('types.renamed', { name: String(after?.name ?? '') }));
        await load();
      } catch (err) {
        if (!signal.aborted) showFormErrors(row, err, t);
      } finally {
        rename.disabled = false;
      }
    });
    del.addEventListener('click', () => {
      const ask = t('types.deleteAsk', { name: String(ty.name) });
      confirmInRow(actions, del, {
        ask,
        confirm: t('types.deleteConfirm'),
        cancel: t('form.cancel'),
        testid: 'type-delete-confirm',
        onConfirm: async (restore) => {
          try {
            const res = await api('DELETE', `${BASE}/${encodeURIComponent(ty.id)}`);
            if (signal.aborted) return;
            pageMsg.show(res && res.archived ? t('types.archivedMsg', { name: String(ty.name) }) : t('types.deleted', { name: String(ty.name) }));
            await load();
          } catch (err) {
            restore();
            pageMsg.show(errorText(err, t), 'error');
          }
        },
      });
    });
    return h('li', {}, row);
  }

  function archivedRow(ty) {
    const restore = editable ? h('button', { type: 'button', class: 'button small', dataset: { testid: 'type-restore' } }, t('types.restore')) : null;
    if (restore) {
      restore.addEventListener('click', async () => {
        try {
          await api('PATCH', `${BASE}/${encodeURIComponent(ty.id)}`, { archived: false });
          if (!signal.aborted) await load();
        } catch (err) {
          if (!signal.aborted) pageMsg.show(errorText(err, t), 'error');
        }
      });
    }
    return h('li', { class: 'type-row' }, h('span', {}, String(ty.name ?? '')), h('span', { class: 'badge' }, t('types.archived')), restore);
  }

  async function load() {
    try {
      const res = await api('GET', BASE);
      if (signal.aborted) return;
      const items = (Array.isArray(res?.items) ? res.items : []).slice().sort((a, b) => a.position - b.position);
      live = items.filter((x) => !x.archived);
      const archived = items.filter((x) => x.archived);
      list.replaceChildren(...live.map(liveRow));
      archivedList.replaceChildren(...archived.map(archivedRow));
      archivedCard.hidden = archived.length === 0;
      listState.textContent = live.length ? '' : t('types.empty');
    } catch (err) {
      if (signal.aborted) return;
      listState.textContent = '';
      pageMsg.show(errorText(err, t), 'error');
    }
  }

  replaceChildren(
    main,
    pageHeader(t('page.settings.consultationTypes'), t('types.lead')),
    pageMsg.el,
    editable ? card(t('types.addTitle'), addForm) : null,
    card(t('types.listTitle'), listState, list),
    archivedCard,
  );
  load();
}
