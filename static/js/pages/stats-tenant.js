// Tenant in/out & answer rate (테넌트 수발신/응대율) — STAT-1. Not built yet: renders the shared placeholder.
// Page contract: export render(main, ctx) where ctx = { route, params, t, lang, signal }
// (signal aborts when the user leaves the page: app.js);
// it may return a cleanup function (timers, listeners) called before the next render.
export { notBuiltPage as render } from '../ui.js';
