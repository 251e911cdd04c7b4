// Callback history (콜백 처리이력) — HIST-3, CB-3. Not built yet: renders the shared placeholder.
// Page contract: export render(main, ctx) where ctx = { route, params, t, lang, signal }
// (signal aborts when the user leaves the page: app.js);
// it may return a cleanup function (timers, listeners) called before the next render.
export { notBuiltPage as render } from '../ui.js';
