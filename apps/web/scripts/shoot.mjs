#!/usr/bin/env node
// A screenshot of one screen, logged in as someone, for looking at a screen while building it:
//   node apps/web/scripts/shoot.mjs <path> <username|-> <out.png> [width=1440] [origin=http://127.0.0.1:3000]
// Prints the browser console's errors. Password: keydesk-demo (the demo data's).
import { chromium } from '@playwright/test';

const [path = '/', username = '-', out = '/tmp/shot.png', width = '1440', origin = 'http://127.0.0.1:3000'] =
  process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(width) < 600 ? 812 : 900 } });
page.on('console', (message) => {
  if (message.type() === 'error' || message.type() === 'warning')
    console.log(`[console.${message.type()}]`, message.text());
});
page.on('pageerror', (error) => console.log('[pageerror]', error.message));
if (username !== '-') {
  const response = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'keydesk-demo' }),
  });
  const login = await response.json();
  await page.goto(`${origin}/login`);
  await page.evaluate((stored) => localStorage.setItem('keydesk.session', JSON.stringify(stored)), {
    token: login.accessToken,
    user: login.user,
  });
}
await page.goto(`${origin}${path}`);
await page.waitForLoadState('networkidle');
await page.waitForTimeout(300);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`wrote ${out}`);
