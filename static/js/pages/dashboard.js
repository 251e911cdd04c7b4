// Dashboard (통합대시보드) — MON-1..MON-7, UI-3. Not built yet: renders the shared placeholder.
// Page contract: export render(main, ctx) where ctx = { route, params, t, lang, signal }
// (signal aborts when the user leaves the page: app.js);
// it may return a cleanup function (timers, listeners) called before the next render.
export { notBuiltPage as render } from '../ui.js';
