// Charts for the dashboard and the statistics pages (UI-3), drawn with the
// vendored uPlot (static/vendor/uplot-1.6.32, see static/vendor/README.md).
// This module is the only place that knows uPlot; pages call
//
//   const chart = await lineChart(el, {
//     labels: ['00시', '01시', …],                      // x categories, shown as given
//     series: [{ label: '오늘', values: [3, 5, null, …] }, { label: '어제', values: […] }],
//     signal: ctx.signal,                               // destroys the chart when the page goes
//     height: 240, xLabel: '시간' (default '구분'), ariaLabel: 'IVR 콜인입 추이',
//   });
//   chart?.update({ labels, series });                  // new data (live screens)
//
// and barChart(el, same options) for grouped bars (one bar per series in
// each category).
//
// - The library is loaded on the first chart (a <script> and a <link> from
//   this origin: the Content-Security-Policy allows it; uPlot styles its
//   elements through the CSSOM, which style-src does not restrict).
// - Both functions resolve to a chart { update(data), destroy(), uplot } or
//   to null when `signal` aborted while the library was loading.
// - The chart fills the width of `el` and follows it (ResizeObserver); the
//   height is `height` (default 240 px) plus the legend.
// - Numbers on the axis and in the legend, which shows the values under the
//   pointer (the tooltip), use the UI's number format: "1,234" (toLocaleString
//   of ko-KR in the Korean UI); axis ticks from 10,000 up are compact in the
//   language's units ("1.2만", "3억" / "12K"). `formatValue(v)` overrides the
//   legend text (e.g. a percentage).
// - Labels are written as text by uPlot (textContent), never as HTML (UI-5).
import { locale, t } from './i18n.js';

const UPLOT = '/vendor/uplot-1.6.32';
const PALETTE = ['#1f5fbf', '#d9730d', '#1e7b3a', '#b3261e', '#7b4fb5', '#5b6677'];

let library = null;

function loadAsset(tag, attrs) {
  return new Promise((resolve, reject) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.addEventListener('load', () => resolve(), { once: true });
    el.addEventListener('error', () => reject(new Error(`chart: could not load ${attrs.src || attrs.href}`)), { once: true });
    document.head.append(el);
  });
}

/** The uPlot constructor, loaded once per document. */
function uPlotLibrary() {
  if (!library) {
    library = Promise.all([
      globalThis.uPlot ? null : loadAsset('script', { src: `${UPLOT}/uPlot.iife.min.js` }),
      document.querySelector(`link[href="${UPLOT}/uPlot.min.css"]`) ? null : loadAsset('link', { rel: 'stylesheet', href: `${UPLOT}/uPlot.min.css` }),
    ]).then(() => {
      if (typeof globalThis.uPlot !== 'function') throw new Error('chart: uPlot did not load');
      return globalThis.uPlot;
    });
    library.catch(() => {
      library = null; // let the next chart try again
    });
  }
  return library;
}

/** A number as the UI writes it: "1,234", "12.5" (null → "–"). */
export function formatNumber(v) {
  if (v == null || !Number.isFinite(Number(v))) return '–';
  return Number(v).toLocaleString(locale(), { maximumFractionDigits: 1 });
}

/** An axis tick: like formatNumber, compact from 10,000 up ("1.2만" / "12K"). */
export function formatTick(v) {
  if (v == null || !Number.isFinite(Number(v))) return '';
  const n = Number(v);
  if (Math.abs(n) < 10_000) return formatNumber(n);
  return n.toLocaleString(locale(), { notation: 'compact', maximumFractionDigits: 1 });
}

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

function normalise({ labels = [], series = [] }) {
  const xs = labels.map((_, i) => i);
  const ys = series.map((s) => xs.map((i) => {
    const v = s.values?.[i];
    return v == null || v === '' || !Number.isFinite(Number(v)) ? null : Number(v);
  }));
  return { labels: labels.map((l) => String(l ?? '')), data: [xs, ...ys] };
}

// Steps between labelled categories: whole categories only.
const X_INCRS = [1, 2, 3, 4, 6, 12, 24, 48, 96, 192, 384, 768];

function options(uPlot, el, kind, state, opts) {
  const { series, height, xLabel = t('chart.category'), formatValue = formatNumber } = opts;
  const text = cssVar(el, '--muted', '#5b6677');
  const grid = cssVar(el, '--border', '#dde2ea');
  const font = `12px ${getComputedStyle(el).fontFamily || 'sans-serif'}`;
  const colour = (i) => cssVar(el, `--chart-${i + 1}`, PALETTE[i % PALETTE.length]);
  const n = series.length;
  const groupWidth = 0.8;
  const bars =
    kind === 'bar'
      ? (i) =>
          uPlot.paths.bars({
            disp: {
              // Bar i of each group: left edge and width in category units.
              x0: { unit: 1, values: (u) => u.data[0].map((x) => x - groupWidth / 2 + (i * groupWidth) / n) },
              size: { unit: 1, values: (u) => u.data[0].map(() => groupWidth / n) },
            },
          })
      : null;
  const widest = () => Math.max(1, ...state.labels.map((l) => l.length));

  return {
    width: Math.max(el.clientWidth, 200),
    height,
    legend: { live: true },
    cursor: { points: { show: kind === 'line' }, drag: { x: false, y: false } },
    scales: {
      x: {
        time: false,
        // Half a category of room on both sides: bars fit, and the first and last points can be hovered.
        range: (u) => [-0.5, Math.max(u.data[0].length - 1, 0) + 0.5],
      },
      y: {
        range: (u, min, max) => uPlot.rangeNum(Math.min(0, min ?? 0), Math.max(max ?? 0, 1), 0.1, true),
      },
    },
    axes: [
      {
        stroke: text,
        font,
        grid: { show: false },
        ticks: { stroke: grid },
        incrs: X_INCRS,
        space: () => widest() * 8 + 12,
        values: (u, splits) => splits.map((i) => (Number.isInteger(i) ? (state.labels[i] ?? '') : '')),
      },
      {
        stroke: text,
        font,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid },
        values: (u, splits) => splits.map(formatTick),
      },
    ],
    series: [
      { label: xLabel, value: (u, i) => (i == null ? '' : (state.labels[i] ?? '')) },
      ...series.map((s, i) => ({
        label: String(s.label ?? '') || t('chart.series', { n: i + 1 }),
        stroke: colour(i),
        width: kind === 'bar' ? 0 : 2,
        fill: kind === 'bar' ? colour(i) : undefined,
        points: { show: kind === 'line' && state.labels.length <= 48 },
        paths: bars ? bars(i) : undefined,
        value: (u, v) => (v == null ? '–' : formatValue(v)),
      })),
    ],
  };
}

async function makeChart(kind, el, opts) {
  const { signal, height = 240, ariaLabel } = opts;
  const uPlot = await uPlotLibrary();
  if (signal?.aborted) return null;

  el.classList.add('chart');
  const state = normalise(opts);
  let seriesCount = state.data.length - 1;
  let current = opts;
  let u = null;
  const build = () => {
    u?.destroy();
    u = new uPlot(options(uPlot, el, kind, state, { ...current, height }), state.data, el);
    u.root.dataset.chart = kind;
    if (ariaLabel) {
      u.ctx.canvas.setAttribute('role', 'img');
      u.ctx.canvas.setAttribute('aria-label', ariaLabel);
    }
  };
  build();

  let lastWidth = el.clientWidth;
  const resize = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (!u || w === lastWidth || w === 0) return;
    lastWidth = w;
    u.setSize({ width: Math.max(w, 200), height });
  });
  resize.observe(el);

  const chart = {
    get uplot() {
      return u;
    },
    /** New data: same series → redrawn in place; a different number of series → rebuilt. */
    update(data) {
      if (!u) return;
      const next = normalise(data);
      state.labels = next.labels;
      state.data = next.data;
      if (next.data.length - 1 !== seriesCount || data.series.some((s, i) => (String(s.label ?? '') || t('chart.series', { n: i + 1 })) !== u.series[i + 1].label)) {
        seriesCount = next.data.length - 1;
        current = { ...current, ...data };
        build();
      } else {
        u.setData(next.data);
      }
    },
    destroy() {
      resize.disconnect();
      u?.destroy();
      u = null;
    },
  };
  signal?.addEventListener('abort', () => chart.destroy(), { once: true });
  return chart;
}

/** A line chart in `el` (see the module comment). */
export function lineChart(el, opts) {
  return makeChart('line', el, opts);
}

/** Grouped bars in `el`: one bar per series in each category. */
export function barChart(el, opts) {
  return makeChart('bar', el, opts);
}
