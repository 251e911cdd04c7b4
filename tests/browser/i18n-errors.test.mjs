// Coded errors in the Korean UI (issue 6, UI-2, UI-4): the server sends codes
// and English messages; a Korean admin sees only Korean text next to each
// refused field and in the form's summary.
//
// Needs SWITCHBOARD_URL and the operator (scripts/browser-test.sh provides them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, createTenant, operator, signInContext, uniqueLogin } from './lib/accounts.mjs';
import { launch, openPage, unexpectedErrors } from './lib/browser.mjs';

let browser;
let op;

before(async () => {
  browser = await launch();
  op = await ApiClient.signIn(operator().login, operator().password);
});

after(async () => {
  await browser?.close();
});

const HANGUL = /[\uAC00-\uD7A3]/;
const LATIN = /[A-Za-z]/;

test('a refused admin form in the Korean UI shows only Korean text next to the fields', async () => {
  const { owner } = await createTenant(op, { name: `코드 오류 ${Date.now()}`, ownerLogin: uniqueLogin('ko') });
  const { context, page, errors } = await openPage(browser, { locale: 'ko-KR' });
  try {
    await signInContext(context, owner.login, owner.password);
    await page.goto('/#/admin/users');
    const form = page.getByTestId('add-user-form');
    await form.waitFor();
    // Every field wrong at once: a one-letter login ID, a name with a
    // zero-width space, a password too short.
    await form.locator('input[name="login_id"]').fill('X');
    await form.locator('input[name="name"]').fill('김\u200b상담');
    await form.locator('input[name="password"]').fill('short');
    await page.getByTestId('add-user-submit').click();
    for (const name of ['login_id', 'name', 'password']) {
      const err = form.locator(`.field-error[data-field="${name}"]`);
      await err.waitFor();
      const text = (await err.textContent()).trim();
      assert.match(text, HANGUL, `${name}: ${text}`);
      assert.doesNotMatch(text, LATIN, `${name} shows English: ${text}`);
    }
    // The summary at the top of the form is Korean too.
    const summary = (await form.locator('[role="alert"]').first().textContent()).trim();
    assert.match(summary, HANGUL, summary);
    assert.doesNotMatch(summary, LATIN, `summary shows English: ${summary}`);

    // A refusal with a top-level code (409: the login ID is taken) reads in Korean.
    await form.locator('input[name="login_id"]').fill(owner.login);
    await form.locator('input[name="name"]').fill('김상담');
    await form.locator('input[name="password"]').fill('long-enough-pass-1');
    await page.getByTestId('add-user-submit').click();
    const taken = form.locator('.field-error[data-field="login_id"]');
    await taken.waitFor();
    const takenText = (await taken.textContent()).trim();
    assert.match(takenText, HANGUL, takenText);
    assert.doesNotMatch(takenText, LATIN, takenText);
    assert.deepEqual(unexpectedErrors(errors), []);
  } finally {
    await context.close();
  }
});
