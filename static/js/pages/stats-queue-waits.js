// Waiting & abandonment per queue (큐별 대기/포기) — STAT-3. Not built yet: renders the shared placeholder.
// Page contract: export render(main, ctx) where ctx = { route, params, t, lang, signal }
// (signal aborts when the user leaves the page: app.js);
// it may return a cleanup function (timers, listeners) called before the next render.
export { notBuiltPage as render } from '../ui.js';
