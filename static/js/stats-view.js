// The statistics pages (SPEC section 4, STAT-1..6): one shared view, each
// page names its report. Filters (from, to, granularity, queue, agent) live
// in the URL's query, so a page is bookmarkable; the table sorts by a click
// on a column header; one chart per table (the vendored uPlot through
// chart.js); XLSX and CSV downloads of exactly the table (GET /api/stats/export),
// fetched with a progress indicator in the page (preparing, then the share
// received) and saved from memory once complete.
import { pageApi, isAborted } from './api.js';
import { h, replaceChildren, pageHeader } from './ui.js';
import { barChart, formatNumber } from './chart.js';
import { formatDuration, formatRate } from './dashboard-view.js';

// Which column the chart draws, per report.
const CHART = {
  tenant: ['offered', 'answered', 'abandoned', 'outbound'],
  queues: ['offered', 'answered', 'abandoned'],
  waits: ['wait_0_10', 'wait_10_20', 'wait_20_30', 'wait_30_60', 'wait_60_plus'],
  types: ['consultations'],
  agents: ['answered', 'missed', 'outbound'],
  states: ['ready_ms', 'on_call_ms', 'after_call_work_ms', 'away_ms'],
};

function cell(kind, v) {
  if (v === null || v === undefined) return '—';
  if (kind === 'duration') return formatDuration(v);
  if (kind === 'percent') return formatRate(v);
  return formatNumber(v);
}

/** The page of `report` at `path` (e.g. '/stats/tenant'). */
export function statsPage(report, path) {
  return function render(main, ctx) {
    const { t, signal, params } = ctx;
    const api = pageApi(signal);
    const f = {
      from: params.get('from') || '',
      to: params.get('to') || '',
      granularity: params.get('granularity') || 'day',
      queue: params.get('queue') || '',
      agent: params.get('agent') || '',
    };
    let sort = { key: params.get('sort') || 'period', dir: params.get('dir') === 'desc' ? -1 : 1 };
    const input = (name, type, value) => h('input', { name, type, value, dataset: { testid: `stats-${name}` } });
    const inputs = {
      from: input('from', 'date', f.from),
      to: input('to', 'date', f.to),
      queue: input('queue', 'number', f.queue),
      agent: input('agent', 'number', f.agent),
      granularity: h(
        'select',
        { name: 'granularity', dataset: { testid: 'stats-granularity' } },
        ...['hour', 'day', 'month'].map((g) => h('option', { value: g, selected: g === f.granularity }, t(`stats.granularity.${g}`))),
      ),
    };
    inputs.queue.min = 0;
    inputs.queue.max = 9;
    const label = (key, el) => h('label', { class: 'field' }, h('span', {}, t(`stats.filter.${key}`)), el);
    const form = h(
      'form',
      { class: 'filters', dataset: { testid: 'stats-filters' } },
      label('from', inputs.from),
      label('to', inputs.to),
      label('granularity', inputs.granularity),
      label('queue', inputs.queue),
      label('agent', inputs.agent),
      h('button', { type: 'submit', class: 'button primary', dataset: { testid: 'stats-apply' } }, t('stats.apply')),
    );
    const status = h('p', { class: 'status', role: 'status', dataset: { testid: 'stats-status' } });
    const chartEl = h('div', { class: 'chart', dataset: { testid: 'stats-chart' } });
    const tableHost = h('div', { class: 'table-wrap' });
    const xlsx = h('a', { class: 'button', dataset: { testid: 'stats-xlsx' } }, t('stats.download.xlsx'));
    const csvLink = h('a', { class: 'button', dataset: { testid: 'stats-csv' } }, t('stats.download.csv'));
    const progress = h('progress', { hidden: true, dataset: { testid: 'stats-progress' } });
    const downloadStatus = h('span', { class: 'status', role: 'status', dataset: { testid: 'stats-download-status' } });
    let downloading = false;
    // A download through fetch, so the page can say what is happening: the
    // server builds the file (an indeterminate bar), then the bytes arrive
    // (the share of Content-Length), then the browser saves it.
    async function download(ev, link) {
      ev.preventDefault();
      if (downloading) return;
      downloading = true;
      progress.hidden = false;
      progress.removeAttribute('value');
      downloadStatus.textContent = t('stats.download.preparing');
      try {
        const resp = await fetch(link.href, { credentials: 'same-origin', signal });
        if (!resp.ok) throw new Error(String(resp.status));
        const total = Number(resp.headers.get('content-length')) || 0;
        const parts = [];
        let got = 0;
        const reader = resp.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value);
          got += value.length;
          if (total) {
            progress.max = total;
            progress.value = got;
          }
          downloadStatus.textContent = t('stats.download.receiving', {
            kb: formatNumber(Math.round(got / 1024)),
            pct: total ? Math.floor((got * 100) / total) : '…',
          });
        }
        const name = /filename="([^"]+)"/.exec(resp.headers.get('content-disposition') || '')?.[1] || 'stats';
        const url = URL.createObjectURL(new Blob(parts, { type: resp.headers.get('content-type') || '' }));
        const a = h('a', { href: url, download: name, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        downloadStatus.textContent = t('stats.download.done', { name, kb: formatNumber(Math.round(got / 1024)) });
      } catch (e) {
        if (!isAborted(e)) downloadStatus.textContent = t('stats.download.failed');
      } finally {
        progress.hidden = true;
        downloading = false;
      }
    }
    xlsx.addEventListener('click', (ev) => download(ev, xlsx));
    csvLink.addEventListener('click', (ev) => download(ev, csvLink));
    replaceChildren(
      main,
      pageHeader(t(ctx.route.titleKey), t('stats.lead')),
      h('section', { class: 'card' }, form, h('div', { class: 'actions' }, xlsx, csvLink, progress, downloadStatus), status),
      h('section', { class: 'card' }, chartEl),
      h('section', { class: 'card' }, tableHost),
    );

    let data = null;
    let chart = null;
    const query = () => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
      return q;
    };
    function syncUrl() {
      const q = query();
      if (sort.key !== 'period') q.set('sort', sort.key);
      if (sort.dir < 0) q.set('dir', 'desc');
      const s = q.toString();
      history.replaceState(null, '', `#${path}${s ? `?${s}` : ''}`);
      const e = query();
      e.set('report', report);
      e.set('lang', ctx.lang === 'en' ? 'en' : 'ko');
      e.set('format', 'xlsx');
      xlsx.href = `/api/stats/export?${e}`;
      e.set('format', 'csv');
      csvLink.href = `/api/stats/export?${e}`;
    }

    function drawTable() {
      const keyCol = data.key;
      const cols = [{ key: 'period', kind: 'text' }];
      if (keyCol) cols.push({ key: 'name', kind: 'text' });
      cols.push(...data.columns);
      const rows = [...data.rows].sort((a, b) => {
        const x = a[sort.key];
        const y = b[sort.key];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * sort.dir;
      });
      const head = cols.map((c) => {
        const active = sort.key === c.key;
        const th = h(
          'th',
          { scope: 'col', 'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
          h('button', { type: 'button', class: 'sort', dataset: { testid: `sort-${c.key}` } }, t(`stats.col.${c.key === 'name' ? keyCol : c.key}`), active ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''),
        );
        th.querySelector('button').addEventListener('click', () => {
          sort = { key: c.key, dir: active ? -sort.dir : 1 };
          syncUrl();
          drawTable();
        });
        return th;
      });
      const body = rows.map((r) =>
        h(
          'tr',
          {},
          ...cols.map((c) => h('td', { class: c.kind === 'text' ? '' : 'num' }, c.kind === 'text' ? String(r[c.key] ?? (c.key === 'name' ? r[keyCol] ?? t('stats.none') : '')) : cell(c.kind, r[c.key]))),
        ),
      );
      const totals = h(
        'tr',
        { class: 'totals', dataset: { testid: 'stats-totals' } },
        h('th', { scope: 'row' }, t('stats.total')),
        ...(keyCol ? [h('td')] : []),
        ...data.columns.map((c) => h('td', { class: 'num' }, cell(c.kind, data.totals[c.key]))),
      );
      replaceChildren(
        tableHost,
        h('table', { class: 'data-table', dataset: { testid: 'stats-table' } }, h('thead', {}, h('tr', {}, ...head)), h('tbody', { dataset: { testid: 'stats-body' } }, ...body), h('tfoot', {}, totals)),
      );
    }

    async function drawChart() {
      const keys = CHART[report].filter((k) => data.columns.some((c) => c.key === k));
      // Periods (and names) along the axis; one series per figure.
      const labels = data.rows.map((r) => (data.key ? `${r.period} ${r.name ?? r[data.key] ?? ''}` : r.period));
      const spec = { labels, series: keys.map((k) => ({ label: t(`stats.col.${k}`), values: data.rows.map((r) => r[k] ?? 0) })) };
      try {
        if (chart) chart.destroy();
        chart = await barChart(chartEl, { ...spec, signal, height: 220, ariaLabel: t(ctx.route.titleKey) });
      } catch (e) {
        console.error('stats: chart failed', e);
      }
    }

    async function load() {
      syncUrl();
      status.textContent = t('stats.loading');
      main.setAttribute('aria-busy', 'true');
      try {
        data = await api('GET', `/api/stats/${report}?${query()}`);
        if (!f.from) inputs.from.value = data.from;
        if (!f.to) inputs.to.value = data.to;
        status.textContent = data.rows.length ? t('stats.loaded', { n: data.rows.length, from: data.from, to: data.to }) : t('stats.empty', { from: data.from, to: data.to });
        drawTable();
        await drawChart();
      } catch (e) {
        if (isAborted(e)) return;
        status.textContent = e?.message || t('stats.failed');
      } finally {
        main.removeAttribute('aria-busy');
      }
    }

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      for (const k of Object.keys(f)) f[k] = (inputs[k].value || '').trim();
      load();
    });
    load();
    return () => chart?.destroy();
  };
}
