// Checks on static/ that need no browser or server: both dictionaries have
// the same keys, every route has a page module, every i18n key used in the
// code exists, and no script can inject HTML (UI-5).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'static');
const js = join(root, 'js');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const load = (rel) => import(pathToFileURL(join(js, rel)).href);

test('ko and en dictionaries have the same keys and no empty strings', async () => {
  const { default: en } = await load('i18n/en.js');
  const { default: ko } = await load('i18n/ko.js');
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const [lang, dict] of Object.entries({ en, ko })) {
    for (const [k, v] of Object.entries(dict)) {
      assert.equal(typeof v, 'string', `${lang}:${k}`);
      assert.ok(v.length > 0, `${lang}:${k} is empty`);
    }
  }
});

test('the Korean menu names follow the service guide', async () => {
  const { default: ko } = await load('i18n/ko.js');
  const expected = [
    '통합대시보드', '테넌트 수발신/응대율', '큐별 호처리', '큐별 대기/포기', '상담 유형별', '상담사 호처리',
    '상담사 상태별', '수발신이력', '상담이력', '콜백 처리이력', '상담사 로그인이력', '작업이력', '계약관리',
    'ARS서비스', '상담인원', '상담배정', '상담유형', '업무관리', '접근관리', '관리자 계정', '테넌트 관리',
  ];
  const values = new Set(Object.values(ko));
  for (const name of expected) assert.ok(values.has(name), name);
});

test('every nav route has a page module and translated title', async () => {
  const { NAV } = await load('routes.js');
  const { default: en } = await load('i18n/en.js');
  const paths = new Set();
  for (const group of NAV) {
    assert.ok(en[group.labelKey], group.labelKey);
    for (const item of group.items) {
      assert.ok(!paths.has(item.path), `duplicate path ${item.path}`);
      paths.add(item.path);
      assert.ok(en[item.titleKey], item.titleKey);
      assert.ok(existsSync(join(js, 'pages', `${item.module}.js`)), `pages/${item.module}.js`);
      assert.ok(item.reqs.length > 0, `${item.path} names its requirement IDs`);
      for (const r of item.reqs) assert.match(r, /^[A-Z]+-\d+(\.\.[A-Z]+-\d+)?$/, r);
    }
  }
  assert.equal(paths.size, 22);
});

test('i18n keys used in the scripts exist', async () => {
  const { default: en } = await load('i18n/en.js');
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const used = new Set();
  for (const file of walk(js).filter((f) => f.endsWith('.js') && !f.includes(`${join('js', 'i18n')}`))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]);
  }
  for (const m of html.matchAll(/data-i18n="([\w.]+)"/g)) used.add(m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
    for (const pair of m[1].split(',')) used.add(pair.split(':')[1].trim());
  }
  assert.ok(used.size > 5);
  for (const k of used) assert.ok(k in en, `missing key ${k}`);
});

test('no script writes HTML from strings (UI-5)', () => {
  const banned = /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|createContextualFragment|\.setHTML(Unsafe)?\(|DOMParser/;
  for (const file of walk(root).filter((f) => f.endsWith('.js'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*\/\//.test(line)) return; // comments may mention the names
      assert.doesNotMatch(line, banned, `${relative(root, file)}:${i + 1}`);
    });
  }
});

test('index.html has no inline scripts or styles (keeps a strict CSP possible)', () => {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /<style\b/i, '<style> element');
  assert.doesNotMatch(html, /\sstyle="/i, 'style attribute');
  assert.doesNotMatch(html, /\son[a-z]+="/i, 'inline event handler');
});

test('the Korean texts say 상담사, never 상담원 (the guide\'s word for an agent)', () => {
  // Everything a Korean admin or caller reads: the UI's dictionary and the
  // default prompts callers hear.
  const sources = [
    join(js, 'i18n', 'ko.js'),
    join(root, '..', 'crates', 'domain', 'src', 'prompts.rs'),
  ];
  for (const file of sources) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const bad = lines.flatMap((l, i) => (l.includes('상담원') ? [`${relative(root, file)}:${i + 1}: ${l.trim()}`] : []));
    assert.deepEqual(bad, [], `상담원 found:\n${bad.join('\n')}`);
  }
});
