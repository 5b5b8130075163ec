#!/usr/bin/env node
// What a first visit to a route downloads: the entry's JavaScript, the route's own chunk and every
// chunk they import statically, gzipped as served. Run after `vite build` (it reads the manifest).
// Budgets (gzipped JavaScript): 350 kB for a desktop route, 250 kB for the phone view's routes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// KEYDESK_WEB_DIST: a build made elsewhere (`vite build --outDir …`), so as not to replace the served one.
const dist = process.env.KEYDESK_WEB_DIST ?? fileURLToPath(new URL('../../../dist/web', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const DESKTOP_KB = 350;
const PHONE_KB = 250;
const ROUTES = {
  '登录 /login': ['src/views/LoginView.vue'],
  '手机 /m/enterprises': ['src/layout/MobileShell.vue', 'src/views/mobile/MobileEnterprisesView.vue'],
  '手机 登记走访': ['src/layout/MobileShell.vue', 'src/views/mobile/MobileVisitView.vue'],
  '台账 /enterprises': ['src/layout/AppShell.vue', 'src/views/enterprises/LedgerView.vue'],
  '工作台 /workbench': ['src/layout/AppShell.vue', 'src/views/WorkbenchView.vue'],
  '需求 /demands': ['src/layout/AppShell.vue', 'src/views/demands/DemandListView.vue'],
  '看板 /dashboard': ['src/layout/AppShell.vue', 'src/views/dashboard/DashboardView.vue'],
  // The charts load just after /demands and /dashboard show their figures (an async component).
  '+ 图表 ECharts': ['src/components/charts/BarChart.vue'],
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

/** A source file's manifest key; a module split into a shared chunk is keyed by its chunk's name. */
function keyOf(source) {
  if (manifest[source]) return source;
  const name = source
    .split('/')
    .pop()
    .replace(/\.\w+$/, '');
  return Object.keys(manifest).find((key) => manifest[key].name === name && key.endsWith('.js')) ?? source;
}

let over = false;
for (const [route, sources] of Object.entries(ROUTES)) {
  const chunks = sources.map(keyOf);
  // A line starting with "+" is what loads later on top of the entry: the entry itself is not counted.
  const entry = route.startsWith('+') ? closure(['index.html']) : new Set();
  const keys = new Set([...closure(['index.html', ...chunks])].filter((key) => !entry.has(key)));
  const js = [...keys].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
  const css = [...keys].flatMap((key) => manifest[key].css ?? []);
  const jsKb = js.reduce((sum, file) => sum + gzipKb(file), 0);
  const cssKb = css.reduce((sum, file) => sum + gzipKb(file), 0);
  const budget = route.startsWith('+') ? Infinity : route.startsWith('手机') ? PHONE_KB : DESKTOP_KB;
  over ||= jsKb > budget;
  console.log(
    `${route.padEnd(18)} JS ${jsKb.toFixed(1)} kB gzip (${js.length} files), CSS ${cssKb.toFixed(1)} kB gzip` +
      (jsKb > budget ? `  over the ${budget} kB budget` : ''),
  );
}
if (over) {
  console.error("a route's initial JavaScript is over its budget");
  process.exit(1);
}
