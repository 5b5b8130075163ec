#!/usr/bin/env node
// What a first visit to a route downloads: the entry's JavaScript, the route's own chunk and every
// chunk they import statically, gzipped as served. Run after `vite build` (it reads the manifest).
// Budget: the login and ledger routes within 350 kB of gzipped JavaScript.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../../../dist/web', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const BUDGET_KB = 350;
const ROUTES = {
  '登录 /login': ['src/views/LoginView.vue'],
  '台账 /enterprises': ['src/layout/AppShell.vue', 'src/views/enterprises/LedgerView.vue'],
  '工作台 /workbench': ['src/layout/AppShell.vue', 'src/views/WorkbenchView.vue'],
};

function closure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
}
const gzipKb = (file) => gzipSync(readFileSync(join(dist, file))).length / 1024;

let over = false;
for (const [route, chunks] of Object.entries(ROUTES)) {
  const keys = closure(['index.html', ...chunks]);
  const js = [...keys].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  const css = [...keys].flatMap((key) => manifest[key].css ?? []);
  const jsKb = js.reduce((sum, file) => sum + gzipKb(file), 0);
  const cssKb = css.reduce((sum, file) => sum + gzipKb(file), 0);
  over ||= jsKb > BUDGET_KB;
  console.log(
    `${route.padEnd(18)} JS ${jsKb.toFixed(1)} kB gzip (${js.length} files), CSS ${cssKb.toFixed(1)} kB gzip`,
  );
}
if (over) {
  console.error(`a route's initial JavaScript is over ${BUDGET_KB} kB gzip`);
  process.exit(1);
}
