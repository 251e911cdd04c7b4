// Callback history (콜백 처리이력) — HIST-3.
//   GET /api/history/callbacks?status=&number=&from=&to=&cursor=
//     → {items: [{id, call, number, queue, requested_ms, status, attempts: [{at_ms, result, agent_name, agent_login}], done_ms}], next_cursor}
//   DELETE /api/history/callbacks/{id} → 204 (owners and managers; pending requests only)
import { pageApi } from '../api.js';
import { errorText } from '../form-errors.js';
import { fmtMs, fmtNumber, lookupPage, options } from '../history-list.js';
import { guard } from '../session.js';
import { h, labelOr } from '../ui.js';

const STATUSES = ['requested', 'completed', 'deleted', 'failed'];

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const page = lookupPage(main, ctx, {
    path: '/history/callbacks',
    api: '/api/history/callbacks',
    testid: 'callbacks',
    title: t('page.history.callbacks'),
    lead: t('hist.callbacks.lead'),
    filters: [
      { name: 'status', label: t('hist.cbStatus'), type: 'select', options: () => options(t, STATUSES.map((s) => [s, t(`hist.cb.${s}`)])) },
      { name: 'from', label: t('work.from'), type: 'date' },
      { name: 'to', label: t('work.to'), type: 'date' },
      { name: 'number', label: t('hist.number'), type: 'text', inputmode: 'tel' },
    ],
    columns: [
      { label: t('hist.requested'), className: 'nowrap', cell: (c) => fmtMs(c.requested_ms) },
      { label: t('hist.number'), className: 'mono', cell: (c) => fmtNumber(c.number) },
      { label: t('hist.queue'), cell: (c) => c.queue || String(c.digit) },
      { label: t('hist.cbStatus'), cell: (c) => labelOr(t, `hist.cb.${c.status}`, c.status) },
      {
        label: t('hist.attempts'),
        cell: (c) => (c.attempts.length
          ? h('ol', { class: 'attempts' }, ...c.attempts.map((a) => h('li', {}, `${fmtMs(a.at_ms)} · ${a.agent_name ? `${a.agent_name} (${a.agent_login})` : a.agent_login || '-'} · ${labelOr(t, `hist.attempt.${a.result}`, a.result)}`)))
          : h('span', { class: 'muted' }, t('hist.noAttempts'))),
      },
      { label: t('hist.done'), className: 'nowrap', cell: (c) => fmtMs(c.done_ms) },
      {
        label: t('hist.actions'),
        cell: (c) => {
          if (c.status !== 'requested') return '';
          const b = guard(h('button', { type: 'button', class: 'button danger', dataset: { requires: 'manage', testid: 'delete-callback' } }, t('hist.deleteCallback')));
          b?.addEventListener('click', async () => {
            if (!window.confirm(t('hist.deleteConfirm', { number: fmtNumber(c.number) }))) return;
            try {
              await api('DELETE', `/api/history/callbacks/${c.id}`);
              page.reload();
            } catch (err) {
              if (!signal.aborted) window.alert(errorText(err, t));
            }
          });
          return b || '';
        },
      },
    ],
  });
}
