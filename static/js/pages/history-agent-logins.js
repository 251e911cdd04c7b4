// Agent login history (상담사 로그인이력) — HIST-4.
//   GET /api/history/agent-sessions?agent=&open=&from=&to=&cursor=
//     → {items: [{login_id, name, agent_deleted, platform, ip, login_ms, logout_ms, length_ms, open}], next_cursor}
// Deleted agents keep their name (marked 삭제됨); an open session says 접속 중.
import { pageApi } from '../api.js';
import { fmtDuration, fmtMs, loadChoices, lookupPage, options } from '../history-list.js';
import { h, labelOr } from '../ui.js';

export function render(main, ctx) {
  const { t, signal } = ctx;
  const api = pageApi(signal);
  const choices = { agents: [] };
  const page = lookupPage(main, ctx, {
    path: '/history/agent-logins',
    api: '/api/history/agent-sessions',
    testid: 'agent-logins',
    title: t('page.history.agentLogins'),
    lead: t('hist.logins.lead'),
    filters: [
      { name: 'agent', label: t('hist.agent'), type: 'select', options: () => options(t, choices.agents) },
      { name: 'open', label: t('hist.sessionState'), type: 'select', options: () => options(t, [['true', t('hist.openOnly')]]) },
      { name: 'from', label: t('work.from'), type: 'date' },
      { name: 'to', label: t('work.to'), type: 'date' },
    ],
    columns: [
      { label: t('agents.loginId'), className: 'mono', cell: (s) => s.login_id },
      { label: t('hist.name'), cell: (s) => (s.agent_deleted ? `${s.name ?? ''} (${t('hist.deleted')})` : s.name ?? '') },
      { label: t('hist.login'), className: 'nowrap', cell: (s) => fmtMs(s.login_ms) },
      { label: t('hist.logout'), className: 'nowrap', cell: (s) => (s.open ? h('span', { class: 'badge', dataset: { testid: 'session-open' } }, t('hist.stillOpen')) : fmtMs(s.logout_ms)) },
      { label: t('hist.platform'), cell: (s) => labelOr(t, `hist.platform.${s.platform}`, s.platform) },
      { label: t('hist.ip'), className: 'mono', cell: (s) => s.ip ?? '' },
      { label: t('hist.length'), cell: (s) => fmtDuration(s.length_ms) },
    ],
  });
  loadChoices(api).then((c) => {
    if (signal.aborted) return;
    Object.assign(choices, c);
    page.refill();
  });
}
