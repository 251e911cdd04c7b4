// Screenshot of the Korean ARS screen for the README (docs/settings-ars-ko.png).
// Creates a tenant with a few menus on the running instance and photographs
// #/settings/ars at a laptop width with the Korean UI. Korean text needs a
// Korean font on the machine (Debian: fonts-nanum or fonts-noto-cjk).
//   cd tests/browser && SWITCHBOARD_URL=… SWITCHBOARD_OPERATOR_LOGIN=… SWITCHBOARD_OPERATOR_PASSWORD=… \
//     node tools/screenshot-ars.mjs ../../docs/settings-ars-ko.png
import { ApiClient, createTenant, operator, signInContext, uniqueLogin } from '../lib/accounts.mjs';
import { launch, openPage } from '../lib/browser.mjs';

const out = process.argv[2] || 'settings-ars-ko.png';
const op = await ApiClient.signIn(operator().login, operator().password);
const { owner } = await createTenant(op, { name: '한빛상사', ownerLogin: uniqueLogin('shot'), ownerName: '김대표' });
const api = await ApiClient.signIn(owner.login, owner.password);
const d = await api.call('GET', '/api/settings/ars/defaults?lang=ko');
await api.call('PUT', '/api/settings/ars', {
  representative_number: '070-1234-5678',
  caller_id: '02-2345-6789',
  greeting: { kind: 'text', text: d.greeting },
  out_of_hours: d.out_of_hours,
  connecting: d.connecting,
  busy: d.busy,
  busy_wait_seconds: 60,
  callback: d.callback,
});
await api.call('POST', '/api/settings/menus', { digit: 1, kind: 'agents', queue: '주문·배송 문의', callback: true });
await api.call('POST', '/api/settings/menus', { digit: 2, kind: 'agents', queue: '반품·교환', callback: false });
await api.call('POST', '/api/settings/menus', { digit: 3, kind: 'info', message: { kind: 'text', text: '영업시간은 평일 오전 아홉 시부터 오후 여섯 시까지입니다.' } });

const browser = await launch();
const { context, page } = await openPage(browser, { locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
await signInContext(context, owner.login, owner.password);
await page.goto('/#/settings/ars');
await page.locator('[data-testid="menu-row"]').nth(2).waitFor();
await page.waitForFunction(() => document.querySelector('textarea[name="greeting.text"]')?.value.length > 0);
// A viewport as tall as the page, so the sticky save bar sits at the bottom.
const height = await page.evaluate(() => document.documentElement.scrollHeight);
await page.setViewportSize({ width: 1280, height });
await page.screenshot({ path: out });
await browser.close();
console.log(`saved ${out}`);
