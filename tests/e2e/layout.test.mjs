// Layout on real screens: at the laptop, desktop and large-screen sizes a classroom uses, the
// diagram, the lesson text and the console input are on screen without scrolling the page, in
// the sandbox and in a lesson, normal and presenter, light and dark; the diagram fills its
// space; presenter text stays readable and its actions reachable; Next shows the new step; a
// phone can watch a lesson; a dialog makes the rest of the page inert and hands the focus back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SCREENS = [[1280, 720], [1366, 768], [1920, 1080], [2560, 1440]];

/** Boxes and page sizes, read in one go. */
async function measure(page) {
  return page.evaluate(() => {
    const box = (selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom };
    };
    const stage = document.querySelector('.stage');
    const style = getComputedStyle(stage);
    const pad = (a, b) => parseFloat(style[a]) + parseFloat(style[b]);
    return {
      scrollHeight: document.scrollingElement.scrollHeight,
      scrollWidth: document.scrollingElement.scrollWidth,
      innerHeight, innerWidth,
      input: box('#console-input'), svg: box('svg.diagram'), title: box('section.lesson .step-title'),
      narration: box('section.lesson .narration'), side: box('.side'),
      stage: { width: stage.clientWidth - pad('paddingLeft', 'paddingRight'), height: stage.clientHeight - pad('paddingTop', 'paddingBottom') },
    };
  });
}

const inside = (box, m) => box && box.x >= 0 && box.y >= 0 && box.right <= m.innerWidth + 0.5 && box.bottom <= m.innerHeight + 0.5;

/** The rendered size in CSS pixels of the first record's offset label (font size × SVG scale). */
const offsetLabelPx = (page) => page.$eval('svg.diagram .record .offset', (t) => t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize));

test('at every classroom screen size the diagram, the lesson and the console input fit without page scrolling', async () => {
  for (const [width, height] of SCREENS) {
    for (const colorScheme of ['light', 'dark']) {
      for (const where of ['sandbox', 'lesson']) {
        for (const presenter of [false, true]) {
          const url = where === 'lesson' ? `${server.url}?lesson=rebalancing&step=2` : server.url;
          const { page, errors, context } = await openPage(browser, url, { width, height, colorScheme });
          await page.waitForSelector('svg.diagram .record');
          if (presenter) {
            await page.click('#presenter');
            await page.waitForSelector('.app.presenter');
          }
          await page.waitForTimeout(150);
          const m = await measure(page);
          const what = `${width}x${height} ${where} ${presenter ? 'presenter' : 'normal'} ${colorScheme}`;
          assert.ok(m.scrollHeight <= m.innerHeight, `${what}: the page does not scroll down (${m.scrollHeight} > ${m.innerHeight})`);
          assert.ok(m.scrollWidth <= m.innerWidth, `${what}: the page does not scroll sideways (${m.scrollWidth})`);
          assert.ok(inside(m.input, m), `${what}: the console input is on screen: ${JSON.stringify(m.input)}`);
          assert.ok(m.svg.y >= 0 && m.svg.y < m.innerHeight / 3, `${what}: the diagram starts near the top: ${JSON.stringify(m.svg)}`);
          // The diagram fills its stage one way or the other: no big empty area beside it.
          const fills = m.svg.width >= m.stage.width - 4 || m.svg.height >= m.stage.height - 4;
          assert.ok(fills, `${what}: the diagram (${Math.round(m.svg.width)}x${Math.round(m.svg.height)}) fills its stage (${Math.round(m.stage.width)}x${Math.round(m.stage.height)})`);
          assert.ok(m.svg.width >= 0.6 * m.innerWidth * (where === 'lesson' ? 0.85 : 1) || m.svg.height >= m.stage.height - 4,
            `${what}: the diagram uses the width it has (${Math.round(m.svg.width)} of ${m.innerWidth})`);
          if (where === 'lesson') {
            assert.ok(inside(m.title, m), `${what}: the step title is on screen: ${JSON.stringify(m.title)}`);
            assert.ok(m.narration && m.narration.y < m.innerHeight - 40, `${what}: the narration starts on screen`);
            assert.ok(await page.isVisible('section.lesson .step-title'), `${what}: the step title is visible`);
          }
          if (width === 1280 || colorScheme === 'dark') {
            await screenshot(page, `layout-${where}${presenter ? '-presenter' : ''}-${width}x${height}-${colorScheme}`);
          }
          assert.deepEqual(errors, [], what);
          await context.close();
        }
      }
    }
  }
});

test('presenter mode at 1280x720 keeps the diagram text readable and every action reachable', async () => {
  // In a lesson: the narration column is wide, yet the record offsets stay at 12 px or more.
  {
    const { page, errors, context } = await openPage(browser, `${server.url}?lesson=newspaper&step=0`, { width: 1280, height: 720 });
    await page.waitForSelector('svg.diagram .record .offset');
    const normal = await offsetLabelPx(page);
    await page.click('#presenter');
    await page.waitForSelector('.app.presenter');
    const presented = await offsetLabelPx(page);
    assert.ok(presented >= 12, `a record's offset is ${presented.toFixed(1)} px in presenter mode`);
    assert.ok(presented > normal, `presenter mode enlarges the diagram's text (${normal.toFixed(1)} → ${presented.toFixed(1)} px)`);
    const narration = await page.$eval('section.lesson .narration', (p) => parseFloat(getComputedStyle(p).fontSize));
    assert.ok(narration >= 17, `the narration is ${narration} px`);
    await screenshot(page, 'layout-presenter-lesson-offsets-1280x720-light');
    assert.deepEqual(errors, []);
    await context.close();
  }
  // In the sandbox: a click on a consumer shows its actions on screen, and they work.
  {
    const { page, errors, context } = await openPage(browser, server.url, { width: 1280, height: 720, colorScheme: 'dark' });
    await page.waitForSelector('g.consumer[data-consumer="payment-1"]');
    await page.waitForSelector('svg.diagram .record .offset');
    await page.click('#presenter');
    await page.waitForSelector('.app.presenter');
    assert.ok((await offsetLabelPx(page)) >= 12, 'sandbox offsets are readable in presenter mode');
    await page.click('g.consumer[data-consumer="payment-1"]');
    const m = await measure(page);
    for (const id of ['consumer-crash', 'consumer-stop', 'consumer-slower', 'consumer-rewind', 'consumer-seek']) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(inside(box && { ...box, right: box.x + box.width, bottom: box.y + box.height }, m), `#${id} is on screen without scrolling: ${JSON.stringify(box)}`);
    }
    for (const id of ['produce-button', 'add-consumer', 'create-topic', 'speed', 'step-back']) {
      assert.equal(await page.locator(`#${id}`).count(), 1, `#${id} is still there in presenter mode`);
    }
    await page.click('#consumer-slower');
    await page.click('#consumer-crash');
    await page.waitForSelector('g.consumer[data-consumer="payment-1"][data-status^="crashed"]');
    await screenshot(page, 'layout-presenter-sandbox-actions-1280x720-dark');
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('at 1366x768 Next brings the new step\'s title and text into view', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=rebalancing`, { width: 1366, height: 768 });
  await page.waitForSelector('section.lesson[data-step="0"]');
  const steps = await page.$eval('section.lesson .step-count', (p) => Number(p.textContent.match(/of (\d+)/)[1]));
  for (let step = 1; step < steps; step++) {
    // The learner scrolls down to the Next button at the foot of the side column.
    await page.$eval('.side', (side) => { side.scrollTop = side.scrollHeight; });
    await page.click('#lesson-next');
    await page.waitForSelector(`section.lesson[data-step="${step}"]`);
    await page.waitForTimeout(50);
    const m = await measure(page);
    assert.ok(inside(m.title, m) && m.title.y >= m.side.y - 0.5, `step ${step + 1}: its title is in view: ${JSON.stringify(m.title)}`);
    assert.ok(m.narration.y >= m.side.y - 0.5 && m.narration.y < m.innerHeight - 30, `step ${step + 1}: its narration starts in view`);
    assert.ok(m.scrollHeight <= m.innerHeight, `step ${step + 1}: the page does not scroll`);
  }
  await screenshot(page, 'layout-next-1366x768-light');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a phone can watch a lesson: narration and diagram on screen, no sideways page scroll', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The address counts steps from 1: this is the second step.
    await page.goto(`${server.url}?lesson=newspaper&step=2`);
    await page.waitForSelector('section.lesson[data-step="1"]');
    await page.waitForSelector('svg.diagram .record');
    const m = await measure(page);
    assert.ok(m.scrollWidth <= m.innerWidth, `no sideways page scroll (${m.scrollWidth} > ${m.innerWidth})`);
    assert.ok(inside(m.svg, m), `the whole diagram is on screen: ${JSON.stringify(m.svg)}`);
    assert.ok(m.svg.width >= m.innerWidth - 40, 'the diagram spans the phone\'s width');
    assert.ok(inside(m.title, m), `the step title is on screen: ${JSON.stringify(m.title)}`);
    assert.ok(m.narration.y < m.innerHeight - 60, 'the narration starts on screen');
    await page.tap('#lesson-next');
    await page.waitForSelector('section.lesson[data-step="2"]');
    await page.waitForTimeout(50);
    const after = await measure(page);
    assert.ok(after.title.y >= 0 && after.title.y < after.innerHeight, 'the next step\'s title is on screen');
    await screenshot(page, `layout-phone-lesson-390x844-${colorScheme}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** Waits (up to 3 s: the app moves the focus in an effect after it renders) until the focused
 * element matches `selector`; fails with what has the focus instead. */
async function focusSettles(page, selector, message) {
  await page.waitForFunction((sel) => !!document.activeElement && document.activeElement.matches(sel), selector, { timeout: 3000 })
    .catch(async () => assert.fail(`${message}: the focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 100))}`));
}

test('a dialog takes the focus, makes the rest of the page inert and gives the focus back', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('svg.diagram');
  const inertParts = () => page.$$eval('.toolbar, .workspace', (els) => els.map((e) => e.inert));
  assert.deepEqual(await inertParts(), [false, false]);

  // The keyboard help.
  await page.focus('#help');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.help-dialog');
  await focusSettles(page, '#help-close', 'the focus is in the dialog');
  assert.deepEqual(await inertParts(), [true, true], 'the toolbar and the workspace are inert');
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const inDialog = await page.evaluate(() => !document.activeElement || document.activeElement === document.body || !!document.activeElement.closest('.help-dialog'));
    assert.ok(inDialog, 'Tab never reaches the page behind the dialog');
  }
  // A click on the inert page behind does nothing (the overlay closes the dialog instead).
  await page.keyboard.press('Escape');
  await page.waitForSelector('.help-dialog', { state: 'detached' });
  await focusSettles(page, '#help', 'the focus is back on the help button');
  assert.deepEqual(await inertParts(), [false, false]);

  // The close button closes it too, and a click inside the dialog does not.
  await page.click('#help');
  await page.click('#help-title');
  assert.equal(await page.locator('.help-dialog').count(), 1, 'a click inside the dialog keeps it open');
  await page.click('#help-close');
  await page.waitForSelector('.help-dialog', { state: 'detached' });
  await focusSettles(page, '#help', 'the close button gives the focus back to the help button');

  // The lesson list.
  await page.click('#lessons');
  await page.waitForSelector('.lessons-dialog');
  await focusSettles(page, '.lessons-dialog *', 'the focus is in the lesson list');
  assert.deepEqual(await inertParts(), [true, true]);
  await page.keyboard.press('Escape');
  await page.waitForSelector('.lessons-dialog', { state: 'detached' });
  await focusSettles(page, '#lessons', 'the focus is back on the Lessons button');
  assert.deepEqual(await inertParts(), [false, false]);
  await screenshot(page, 'layout-after-dialogs-1366x768-light');
  assert.deepEqual(errors, []);
  await context.close();

  // The start page: a newcomer's lesson list has the focus; a lesson chosen with the keyboard
  // hands it on to the lesson.
  const start = await openPage(browser, server.url, { width: 1366, height: 768, lessons: true });
  await start.page.waitForSelector('[data-lesson-card]');
  await focusSettles(start.page, '.lessons-dialog *', 'the start page has the focus');
  assert.equal(await start.page.$eval('.workspace', (w) => w.inert), true);
  await start.page.keyboard.press('Enter');
  await start.page.waitForSelector('section.lesson[data-step="0"]');
  await focusSettles(start.page, '#lesson-next', 'the focus goes on to the lesson');
  assert.equal(await start.page.$eval('.workspace', (w) => w.inert), false);
  assert.deepEqual(start.errors, []);
  await start.context.close();
});

test('the newspaper lesson opens with the old way drawn beside the log, and only on that step', async () => {
  const { page, errors, context } = await openPage(browser, `${server.url}?lesson=newspaper`, { width: 1366, height: 768, colorScheme: 'dark' });
  await page.waitForSelector('section.lesson[data-step="0"]');
  const picture = page.locator('.illustration[data-illustration="old-way"]');
  await picture.waitFor();
  assert.ok(await picture.isVisible(), 'the picture is shown at the first step');
  // The old way: a caller with one wire per listener, the slow one on the line, the new one an edit.
  assert.deepEqual(await page.$$eval('.illustration [data-listener]', (els) => els.map((e) => e.dataset.listener)), ['alice', 'bob · slow', 'carol', 'dave']);
  assert.equal(await page.locator('.illustration .listener .wire:not(.call)').count(), 4, 'a wire per listener');
  assert.match(await picture.textContent(), /edit the call list/);
  // Beside it, the log: one producer appending, readers at their own places.
  assert.deepEqual(await page.$$eval('.illustration [data-reader]', (els) => els.map((e) => e.dataset.reader)), ['alice', 'carol', 'bob', 'dave']);
  assert.match(await picture.textContent(), /the reporter changes nothing/);
  const animation = await page.$eval('.illustration .listener.slow .wire.call', (el) => getComputedStyle(el).animationName);
  assert.match(animation, /call-slow/, 'the calls are animated');
  const m = await measure(page);
  const box = await picture.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= m.svg.y + 1, `the picture sits above the diagram: ${JSON.stringify(box)} / ${JSON.stringify(m.svg)}`);
  assert.ok(box.width >= 0.9 * (m.stage.width), 'the picture spans the diagram\'s column');
  assert.ok(m.scrollHeight <= m.innerHeight && inside(m.input, m), 'the page still fits the screen with the picture');
  await screenshot(page, 'old-way-1366x768-dark');

  await page.click('#lesson-next');
  await page.waitForSelector('section.lesson[data-step="1"]');
  assert.equal(await page.locator('.illustration').count(), 0, 'the picture is gone at the next step');
  await page.click('#lesson-prev');
  await page.waitForSelector('section.lesson[data-step="0"]');
  await picture.waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('with reduced motion the old way stands still on the slow call', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${server.url}?lesson=newspaper`);
  await page.waitForSelector('.illustration[data-illustration="old-way"]');
  const names = await page.$$eval('.illustration *', (els) => [...new Set(els.map((e) => getComputedStyle(e).animationName))]);
  assert.deepEqual(names, ['none'], 'nothing in the picture moves');
  const opacity = (selector) => page.$eval(selector, (el) => getComputedStyle(el).opacity);
  assert.equal(await opacity('.illustration .listener.slow .wire.call'), '1', 'the call to slow bob is shown');
  assert.equal(await opacity('.illustration .listener.first .wire.call'), '0');
  assert.equal(await opacity('.illustration .listener.third .note'), '1', 'carol is seen waiting');
  await screenshot(page, 'old-way-reduced-motion-1280x720-light');
  await context.close();
});

test('on a phone, Zoom draws a lesson\'s lane and readers legibly and pans to them; elsewhere there is no zoom', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lesson=newspaper&step=4`);
  await page.waitForSelector('section.lesson[data-step="3"]');
  const labelPx = () => page.evaluate(() => {
    const svg = document.querySelector('svg.diagram');
    return Math.min(...[...svg.querySelectorAll('.marker-label, .lane-label')].map((t) => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a));
  });
  assert.ok(await labelPx() < 6, 'fitted to the width, the readers\' labels are tiny');
  assert.ok(await page.isVisible('#zoom-diagram'));
  await page.check('#zoom-diagram');
  const m = await page.evaluate(() => {
    const stage = document.querySelector('.stage').getBoundingClientRect();
    const lane = document.querySelector('[data-partition="news-0"] .lane-bg').getBoundingClientRect();
    return { stage: { left: stage.left, right: stage.right }, laneLeft: lane.left, scrollWidth: document.scrollingElement.scrollWidth };
  });
  assert.ok(await labelPx() >= 9.5, `zoomed, the labels are legible: ${(await labelPx()).toFixed(1)} px`);
  assert.ok(m.laneLeft >= m.stage.left && m.laneLeft < m.stage.right - 200, `it opens on the lane: ${JSON.stringify(m)}`);
  assert.ok(m.scrollWidth <= 390, 'the page itself does not scroll sideways');
  await screenshot(page, 'layout-phone-zoom-390x844-light');
  await page.uncheck('#zoom-diagram');
  assert.ok(await labelPx() < 6, 'unzoomed, it fits the width again');
  assert.deepEqual(errors, []);
  await context.close();
  const wide = await openPage(browser, server.url, { width: 1366, height: 768 });
  assert.equal(await wide.page.isVisible('#zoom-diagram'), false, 'no zoom on a laptop');
  await wide.context.close();
});

test('the toolbar keeps to one line on a laptop; the session menu opens on screen and closes after a choice', async () => {
  for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]]) {
    for (const colorScheme of ['light', 'dark']) {
      for (const presenter of [false, true]) {
        const { page, errors, context } = await openPage(browser, `${server.url}?lesson=rebalancing&step=4`, { width, height, colorScheme });
        await page.waitForSelector('#replay-rebalance', { timeout: 20000 }).catch(() => {});
        if (presenter) {
          await page.click('#presenter');
          await page.waitForSelector('.app.presenter');
        }
        const what = `${width}x${height} ${colorScheme}${presenter ? ' presenter' : ''}`;
        const rows = await page.$$eval('.toolbar > *', (els) => [...new Set(els.filter((e) => e.getBoundingClientRect().height > 2)
          .map((e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); }))]);
        const spread = Math.max(...rows) - Math.min(...rows);
        assert.ok(spread <= 4, `${what}: every toolbar control is on one line (centres at ${rows})`);
        const bar = await page.$eval('.toolbar', (e) => e.getBoundingClientRect().height);
        assert.ok(bar <= 52, `${what}: the toolbar is one line high (${bar} px)`);
        assert.equal(await page.isVisible('#export'), false, `${what}: the session menu starts closed`);
        await page.click('#session-menu summary');
        for (const id of ['reset', 'share', 'export', 'export-shell']) {
          const box = await page.locator(`#${id}`).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= width && box.y + box.height <= height, `${what}: #${id} opens on screen: ${JSON.stringify(box)}`);
        }
        if (width !== 1920 || colorScheme === 'dark') await screenshot(page, `toolbar-menu-${width}x${height}-${colorScheme}${presenter ? '-presenter' : ''}`);
        await page.click('#export');
        assert.equal(await page.isVisible('#export'), false, `${what}: a choice closes the menu`);
        assert.deepEqual(errors, [], what);
        await context.close();
      }
    }
  }
});

test('a tall diagram (the rebalancing lesson, order events step 7) keeps its text as large as every other diagram at 1366x768', async () => {
  const smallest = (page) => page.evaluate(() => {
    const svg = document.querySelector('svg.diagram');
    const scale = svg.getScreenCTM().a;
    const sizes = [...svg.querySelectorAll('text')].filter((t) => t.getBoundingClientRect().width > 0)
      .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return { scale, px: Math.min(...sizes) };
  });
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768, colorScheme });
    await page.waitForSelector('svg.diagram .record');
    const sandbox = await smallest(page);
    for (const [lesson, step] of [['rebalancing', 1], ['rebalancing', 3], ['order-events', 7]]) {
      await page.goto(`${server.url}?lesson=${lesson}&step=${step}`);
      await page.waitForSelector(`section.lesson[data-step="${step - 1}"]`);
      await page.waitForSelector('svg.diagram .lane');
      const m = await smallest(page);
      const what = `${lesson} step ${step} ${colorScheme}`;
      assert.ok(m.px >= 9.9 && m.px >= sandbox.px - 0.1, `${what}: the smallest text is ${m.px.toFixed(1)} px (the sandbox's ${sandbox.px.toFixed(1)} px)`);
      const page2 = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollHeight, inner: innerHeight }));
      assert.ok(page2.scroll <= page2.inner, `${what}: the page itself does not scroll; the stage does`);
      await screenshot(page, `layout-tall-${lesson}-${step}-1366x768-${colorScheme}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
