// Accessibility as a keyboard and screen reader user meets the app: an axe-core audit of the
// start page, the sandbox, a lesson in play and presenter mode finds nothing serious or
// critical; what happens is announced in a polite live region, one sentence at a time;
// reduced motion leaves nothing flying or sliding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serveDist, launch, openPage, screenshot, runLine } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js');

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });


/** Runs axe-core on the page; returns the serious and critical violations, described. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
  return { bad: result.filter((v) => v.impact === 'serious' || v.impact === 'critical'), all: result };
}

const describe = (violations) => violations.map((v) => `${v.impact} ${v.id} (${v.help}):\n  ${v.nodes.join('\n  ')}`).join('\n');

for (const [width, height, scheme] of [[1280, 720, 'light'], [1366, 768, 'dark'], [1920, 1080, 'dark']]) {
  test(`axe finds nothing serious on the start page, the sandbox, a lesson and presenter mode (${width}x${height} ${scheme})`, async () => {
    const { page, errors } = await openPage(browser, server.url, { width, height, colorScheme: scheme, lessons: true });
    const report = [];
    const check = async (name) => {
      const { bad, all } = await audit(page);
      if (bad.length) report.push(`${name}:\n${describe(bad)}`);
      if (all.length && process.env.AXE_VERBOSE) console.log(name, describe(all));
      await screenshot(page, `a11y-${name}-${width}x${height}-${scheme}`);
    };
    await page.waitForSelector('[data-lesson-card]');
    await check('start');
    await page.click('#open-sandbox');
    await page.waitForSelector('g.group[data-group="payment"][data-state="Stable"]', { timeout: 30000 });
    await runLine(page, 'kafka-consumer-groups --describe --group payment');
    await page.waitForSelector('.scrollback pre.table');
    await page.click('[data-partition="orders-0"] .lane-bg');
    await check('sandbox');
    await page.click('#presenter');
    await check('sandbox-presenter');
    await page.click('#presenter');
    await page.click('#lessons');
    await page.click('[data-lesson-card="rebalancing"]');
    await page.waitForSelector('section.lesson[data-step="0"]');
    await page.click('#lesson-next');
    await page.waitForSelector('section.lesson[data-step="1"]');
    await check('lesson');
    await page.click('#presenter');
    await check('lesson-presenter');
    assert.equal(report.join('\n\n'), '', 'no serious or critical finding');
    assert.deepEqual(errors, []);
  });
}

test('what happens is announced in a polite live region, one sentence at a time', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1366, height: 768 });
  const region = page.locator('#event-narration');
  await region.waitFor({ state: 'attached' });
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  assert.equal(await region.getAttribute('aria-atomic'), 'true');
  // The list itself is not live: it would read out every entry again.
  assert.equal(await page.locator('.event-log ol[aria-live]').count(), 0);
  if ((await page.getAttribute('#play', 'aria-label')).startsWith('Pause')) await page.click('#play');
  await runLine(page, 'kafka-topics --create --topic spoken --partitions 1');
  await page.waitForFunction(() => document.querySelector('#event-narration')?.textContent.includes('spoken'), null, { timeout: 5000 });
  assert.match(await region.textContent(), /spoken/);
  // At 50× the region changes at most once every two seconds, each time one sentence.
  await page.selectOption('#speed', { label: '50×' });
  await page.click('#play');
  await runLine(page, 'producer stream orders-feed --topic orders --rate 5');
  const seen = [];
  const started = Date.now();
  while (Date.now() - started < 6500) {
    const text = await region.textContent();
    if (seen.at(-1) !== text) seen.push(text);
    await page.waitForTimeout(100);
  }
  assert.ok(seen.length <= 5, `at most one announcement per 2 s in 6.5 s: ${JSON.stringify(seen)}`);
  for (const sentence of seen) assert.ok(!sentence.includes('\n') && sentence.length < 300, `one sentence: ${sentence}`);
  // Going back in time announces nothing new.
  await page.click('#play');
  const before = await region.textContent();
  await page.click('#step-back');
  await page.click('#step-back');
  await page.waitForTimeout(2500);
  assert.equal(await region.textContent(), before);
  assert.deepEqual(errors, []);
});

test('reduced motion: nothing flies, slides or fades', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('.app');
  if (await page.$('#open-sandbox')) await page.click('#open-sandbox');
  await page.waitForSelector('g.group[data-group="payment"][data-state="Stable"]', { timeout: 30000 });
  for (let i = 0; i < 3; i++) await page.click('#produce-button');
  await page.click('#add-consumer');
  const moving = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      const durations = `${s.transitionDuration},${s.animationDuration}`.split(',').map((d) => parseFloat(d) || 0);
      const animated = s.animationName !== 'none' && durations.some((d) => d > 0);
      const sliding = s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
      if (animated || sliding) out.push(`${el.tagName}.${el.getAttribute('class')}`);
    }
    // SMIL animations (the records' flight from producer to lane) must not be shown either.
    for (const a of document.querySelectorAll('animate, animateMotion, animateTransform')) {
      const host = a.parentElement;
      if (host && host.getBoundingClientRect().width > 0 && getComputedStyle(host).display !== 'none') out.push(`${a.tagName} in ${host.getAttribute('class')}`);
    }
    return out;
  });
  assert.deepEqual(moving, []);
  assert.deepEqual(errors, []);
  await context.close();
});
