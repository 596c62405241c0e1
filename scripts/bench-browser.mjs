// The browser benchmark: opens the release build's ?bench page in headless Chromium with
// 100 and with 1,000,000 records per partition and prints each report (frame times during
// playback at 5×, long tasks over 50 ms). Run after `trunk build --release`:
//   node scripts/bench-browser.mjs
import { serveDist, launch, openPage } from '../tests/e2e/harness.mjs';

const server = await serveDist();
const browser = await launch();
try {
  for (const records of [100, 1_000_000]) {
    const { page, errors } = await openPage(browser, `${server.url}?bench=${records}`, { width: 1920, height: 1080 });
    await page.waitForSelector('#bench-report', { timeout: 180_000 });
    const report = await page.textContent('#bench-report');
    console.log(`bench ${records} records/partition: ${report}`);
    if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
