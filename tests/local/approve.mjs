// SPDX-License-Identifier: Apache-2.0
// approve.mjs URL SCREENSHOT - drives Debian's chromium (headless) through
// the emulator's consent page: opens URL, clicks Approve, waits for the local
// helper's result page and saves a screenshot of it. Exit 0 when the page
// says "You are signed in".
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: approve.mjs URL SCREENSHOT');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'spotify-e2e-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let ok = false;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 800, height: 600 });
  await page.goto(url, { waitUntil: 'load', timeout: 15000 });
  await page.waitForSelector('button[value="approve"]', { timeout: 15000 });
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 15000 }),
    page.click('button[value="approve"]'),
  ]);
  const result = await page.$eval('#result', (e) => e.textContent);
  const where = new URL(page.url());
  console.log(`landed on ${where.origin}${where.pathname}: ${result}`);
  await page.screenshot({ path: screenshot });
  ok = result.includes('You are signed in');
} catch (e) {
  console.error(`approve.mjs: ${e.message}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
