// Tenants (테넌트 관리), operator only — AUTH-1, AUTH-2, CON-1. Not built yet: renders the shared placeholder.
// Page contract: export render(main, ctx) where ctx = { route, params, t, lang };
// it may return a cleanup function (timers, listeners) called before the next render.
export { notBuiltPage as render } from '../ui.js';
