// The consumer protocol (KIP-848) as a class sees it, in the lesson "The new rebalance
// protocol": a consumer-protocol group's epochs and state, a member's revoking and waiting
// partitions, members that keep reading, the comparison of partition-seconds without a reader
// under eager, cooperative and the new protocol (eager's the largest), legible and on screen
// at 1366x768, and the lesson played to its end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, answerTask } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const LESSON = 'new-rebalance-protocol';

async function openStep(step, options) {
  const opened = await openPage(browser, `${server.url}?lesson=${LESSON}&step=${step}`, options);
  await opened.page.waitForSelector(`section.lesson[data-lesson="${LESSON}"][data-step="${step - 1}"]`);
  await opened.page.waitForSelector('.group[data-group="a-kip848"]');
  return opened;
}

/** An element's rendered font size in CSS pixels (its SVG size times the diagram's scale). */
const renderedFontPx = (locator) => locator.evaluate((el) => {
  const scale = el.ownerSVGElement.getScreenCTM().a;
  return parseFloat(getComputedStyle(el).fontSize) * scale;
});

/** Whether an element lies wholly inside the viewport. */
async function inViewport(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  return box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height;
}

test('a joining member waits for what its old owner revokes, while the others keep reading', async () => {
  const { page, errors } = await openStep(2, { width: 1366, height: 768 });
  const group = page.locator('.group[data-group="a-kip848"]');
  assert.equal(await group.getAttribute('data-state'), 'Reconciling');
  const header = (await group.locator('.group-meta').allTextContents()).join(' ');
  assert.match(header, /group epoch 6/);
  assert.match(header, /Reconciling · target epoch 6/);

  const n2 = page.locator('g.consumer[data-consumer="n2"]');
  assert.equal(await n2.getAttribute('data-revoking'), 'clicks-5');
  assert.equal(await n2.getAttribute('data-epoch'), '5');
  assert.equal(await n2.locator('.epoch848').textContent(), 'epoch 5 → 6');
  const revoking = n2.locator('.chip848.revoking');
  assert.equal(await revoking.locator('text').textContent(), 'P5↩');
  assert.equal(await n2.locator('.note848').textContent(), 'revoking');

  const n5 = page.locator('g.consumer[data-consumer="n5"]');
  assert.equal(await n5.getAttribute('data-waiting'), 'clicks-5');
  assert.equal(await n5.getAttribute('data-owned'), '');
  assert.equal(await n5.locator('.chip848.waiting text').textContent(), 'P5');
  assert.equal(await n5.locator('.note848').textContent(), 'waits for n2');

  // The others keep what they own, and the classic groups still read everything.
  for (const c of ['n1', 'n3', 'n4']) {
    assert.ok((await page.locator(`g.consumer[data-consumer="${c}"] .chip848.owned`).count()) >= 1, c);
    assert.equal(await page.locator(`g.consumer[data-consumer="${c}"] .chip848.revoking`).count(), 0, c);
  }
  assert.equal(await page.locator('g.consumer[data-consumer="e1"]').getAttribute('data-owned'), 'clicks-0,clicks-1');

  // The back row can read it: the epochs and the chips at 10 px or more, on screen.
  for (const text of [n2.locator('.epoch848'), revoking.locator('text'), n5.locator('.note848'), group.locator('.group-meta').last()]) {
    const px = await renderedFontPx(text);
    assert.ok(px >= 10, `rendered at ${px.toFixed(1)} px`);
  }
  assert.ok(await inViewport(page, n5), 'n5 is on screen without scrolling');
  await screenshot(page, 'kip848-revoking-1366x768-light');
  assert.deepEqual(errors, []);
});

test('the comparison gives each protocol its partition-seconds without a reader, eager the largest', async () => {
  const { page, errors } = await openStep(4, { width: 1366, height: 768 });
  const rows = page.locator('.cost848');
  assert.equal(await rows.count(), 3);
  const costs = {};
  for (const row of await rows.all()) {
    const protocol = await row.getAttribute('data-protocol');
    const seconds = Number(await row.getAttribute('data-partition-seconds'));
    const shown = await row.locator('.cost848-value').textContent();
    assert.ok(shown.startsWith(String(await row.getAttribute('data-partition-seconds'))), shown);
    assert.ok(shown.endsWith('partition·s'), shown);
    costs[protocol] = seconds;
    assert.ok((await renderedFontPx(row.locator('.cost848-value'))) >= 12);
    assert.ok((await renderedFontPx(row.locator('.cost848-protocol'))) >= 10);
  }
  assert.deepEqual(Object.keys(costs).sort(), ['consumer (KIP-848)', 'cooperative', 'eager']);
  assert.ok(Object.values(costs).every((s) => s > 0), JSON.stringify(costs));
  assert.ok(costs.eager > costs.cooperative && costs.eager > costs['consumer (KIP-848)'], JSON.stringify(costs));
  assert.ok(await inViewport(page, page.locator('.comparison848')), 'the comparison is on screen');
  // The new protocol has settled: every member at the target epoch, nothing revoking or waiting.
  const group = page.locator('.group[data-group="a-kip848"]');
  assert.equal(await group.getAttribute('data-state'), 'Stable');
  const epochs = await page.$$eval('.group[data-group="a-kip848"] g.consumer', (els) => els.map((e) => e.dataset.epoch));
  assert.deepEqual(epochs, ['6', '6', '6', '6', '6']);
  assert.equal(await group.locator('.chip848.revoking, .chip848.waiting').count(), 0);
  console.log(`partition-seconds without a reader: ${JSON.stringify(costs)}`);
  await screenshot(page, 'kip848-comparison-1366x768-light');
  assert.deepEqual(errors, []);
});

test('the lesson plays to its end, and its pictures at every size and scheme', async () => {
  for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, errors, context } = await openStep(1, { width, height, colorScheme });
      for (let step = 0; ; step++) {
        await page.waitForSelector(`section.lesson[data-step="${step}"]`);
        // Stopping n1 is the goal: show me runs it and plays until the group settles.
        await answerTask(page, { goalTimeout: 15000 });
        if (width === 1366 || step === 1) await screenshot(page, `kip848-step-${step + 1}-${width}x${height}-${colorScheme}`);
        if (await page.isDisabled('#lesson-next')) break;
        await page.click('#lesson-next');
      }
      assert.equal(await page.locator('.group[data-group="a-kip848"]').getAttribute('data-state'), 'Stable');
      await page.click('#presenter');
      await screenshot(page, `kip848-presenter-${width}x${height}-${colorScheme}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});
