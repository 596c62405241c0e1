// At scale: the scene of 3 topics × 24 partitions, 10 groups and 50 consumers (`?scene=scale`)
// is drawn as an overview that fits one 1920×1080 screen with legible text; a topic folds to
// one summary row and back by mouse and keyboard; selecting a partition shows its full lane
// with record cells and reader tracks; the small scenes lessons use keep their full lanes.
// Screenshots go to target/screenshots/ (scale-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Opens the scale scene and waits until its groups have settled and own partitions. */
async function openScale(options) {
  const opened = await openPage(browser, `${server.url}?scene=scale`, options);
  await opened.page.waitForSelector('svg.diagram.overview');
  await opened.page.waitForFunction(() => document.querySelectorAll('svg.diagram .link').length >= 72, null, { timeout: 30_000 });
  return opened;
}

/** The diagram's box, the stage's visible box, and the smallest lane label's rendered size. */
const measure = (page) => page.evaluate(() => {
  const svg = document.querySelector('svg.diagram');
  const stage = svg.closest('.stage');
  const box = (e) => { const r = e.getBoundingClientRect(); return { top: r.top, left: r.left, bottom: r.bottom, right: r.right }; };
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('.thin-lane .lane-label, .topic-name, .consumer .name')]
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {
    svg: box(svg), stage: box(stage), scrolls: stage.scrollHeight > stage.clientHeight + 1,
    viewport: { width: innerWidth, height: innerHeight },
    thinLanes: svg.querySelectorAll('.thin-lane').length,
    consumers: svg.querySelectorAll('.consumer').length,
    smallestText: Math.min(...sizes),
  };
});

test('the 3 × 24 × 50 scene fits one 1920×1080 screen, legibly', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await openScale({ width: 1920, height: 1080, colorScheme });
    const m = await measure(page);
    assert.equal(m.thinLanes, 72, 'every partition has a thin lane');
    assert.equal(m.consumers, 50, 'every consumer is shown');
    assert.ok(!m.scrolls, 'the stage needs no scrolling');
    assert.ok(m.svg.top >= m.stage.top - 1 && m.svg.bottom <= m.stage.bottom + 1, `diagram ${JSON.stringify(m.svg)} within stage ${JSON.stringify(m.stage)}`);
    assert.ok(m.svg.left >= m.stage.left - 1 && m.svg.right <= m.stage.right + 1);
    assert.ok(m.svg.bottom <= m.viewport.height, 'the whole diagram is on screen');
    assert.ok(m.smallestText >= 11, `lane labels are at least 11 px (smallest ${m.smallestText.toFixed(1)} px)`);
    // Every thin lane is on screen.
    const offscreen = await page.$$eval('.thin-lane .lane-bg', (els) => els.filter((e) => e.getBoundingClientRect().bottom > innerHeight).length);
    assert.equal(offscreen, 0);
    // Links stay thin until something is selected.
    assert.equal(await page.$$eval('.link.lit', (els) => els.length), 0);
    await screenshot(page, `scale-1920-${colorScheme}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a topic folds to one summary row and back, by mouse and by keyboard', async () => {
  const { page, errors, context } = await openScale({ width: 1920, height: 1080 });
  // The count once the diagram has drawn what a click or key asked (a render is scheduled).
  const lanesOf = async (topic, expected) => {
    await page.waitForFunction(([t, n]) => document.querySelectorAll(`.thin-lane[data-partition^="${t}-"]`).length === n, [topic, expected], { timeout: 5000 }).catch(() => {});
    return page.$$eval(`.thin-lane[data-partition^="${topic}-"]`, (els) => els.length);
  };
  const header = '[data-topic-header="orders"]';
  assert.equal(await lanesOf('orders', 24), 24);
  await page.click(header);
  assert.equal(await lanesOf('orders', 0), 0, 'a click folds the topic');
  assert.equal(await page.getAttribute(header, 'aria-expanded'), 'false');
  const summary = await page.textContent('[data-summary="orders"]');
  assert.match(summary, /lag: group-0 (\d+|-) · group-3 (\d+|-)/, `the summary names each reading group's lag: ${summary}`);
  assert.match(await page.textContent(header), /24 partitions · [\d.k]+ records/);
  assert.equal(await lanesOf('payments', 24), 24, 'other topics stay as they were');
  // Links of a folded topic meet its summary row.
  // Links of a folded topic meet its summary row (measured in one pass of the page).
  const linksMeetSummary = () => page.evaluate(() => {
    const rect = document.querySelector('[data-summary="orders"] rect')?.getBoundingClientRect();
    const ends = [...document.querySelectorAll('.link[data-link^="orders-"]')].map((e) => { const p = e.getPointAtLength(0); const m = e.getScreenCTM(); return p.y * m.d + m.f; });
    return { ok: !!rect && ends.length >= 24 && ends.every((y) => y >= rect.top && y <= rect.bottom), ends: ends.length, top: rect?.top, bottom: rect?.bottom };
  });
  await page.waitForFunction(() => document.querySelector('[data-summary="orders"] rect')?.getBoundingClientRect().height > 0);
  const meet = await linksMeetSummary();
  assert.ok(meet.ok, `links of orders end on its summary row: ${JSON.stringify(meet)}`);
  await screenshot(page, 'scale-collapsed');
  await page.click(header);
  assert.equal(await lanesOf('orders', 24), 24, 'a second click unfolds it');
  await page.focus(header);
  await page.keyboard.press('Enter');
  assert.equal(await lanesOf('orders', 0), 0, 'Enter folds it');
  await page.focus(header);
  await page.keyboard.press(' ');
  assert.equal(await lanesOf('orders', 24), 24, 'space unfolds it');
  assert.equal(await page.getAttribute(header, 'aria-expanded'), 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('selecting a partition shows its full lane, with records, reader tracks and its links lit', async () => {
  const { page, errors, context } = await openScale({ width: 1920, height: 1080 });
  await page.click('.thin-lane[data-partition="orders-3"] .lane-bg');
  await page.waitForSelector('g.lane[data-partition="orders-3"]');
  const lane = await page.$eval('g.lane[data-partition="orders-3"]', (el) => ({
    records: el.querySelectorAll('.record').length,
    tracks: [...el.querySelectorAll('g.track')].map((t) => t.dataset.track),
    height: Number(el.querySelector('.lane-bg').getAttribute('height')),
  }));
  assert.ok(lane.records >= 5, `record cells drawn (${lane.records})`);
  assert.ok(lane.tracks.includes('group-0') && lane.tracks.includes('group-3'), `tracks of the groups reading it: ${lane.tracks}`);
  assert.ok(lane.height >= 84);
  assert.equal(await page.$$eval('g.lane', (els) => els.length), 1, 'only the selected partition is drawn in full');
  const lit = await page.$$eval('.link.lit', (els) => els.map((e) => e.dataset.link));
  assert.ok(lit.length >= 2 && lit.every((l) => l.startsWith('orders-3>')), `its links stand out: ${lit}`);
  const m = await measure(page);
  assert.ok(!m.scrolls && m.smallestText >= 11, `still fits and legible: ${JSON.stringify(m)}`);
  await screenshot(page, 'scale-detail');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the 1366×768 overview, light and dark (screenshots)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await openScale({ width: 1366, height: 768, colorScheme });
    const m = await measure(page);
    assert.ok(!m.scrolls, 'the stage needs no scrolling');
    await screenshot(page, `scale-1366-${colorScheme}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the sandbox and a lesson keep their full lanes (no overview)', async () => {
  const { page, errors, context } = await openPage(browser, server.url, { width: 1366, height: 768 });
  await page.waitForSelector('g.lane .record', { timeout: 10_000 });
  const sandbox = await page.$eval('svg.diagram', (svg) => ({
    overview: svg.classList.contains('overview'),
    thin: svg.querySelectorAll('.thin-lane').length,
    lanes: svg.querySelectorAll('g.lane').length,
    heights: [...svg.querySelectorAll('g.lane .lane-bg')].map((r) => Number(r.getAttribute('height'))),
    records: svg.querySelectorAll('g.lane .record').length,
  }));
  assert.equal(sandbox.overview, false);
  assert.equal(sandbox.thin, 0);
  assert.equal(sandbox.lanes, 3);
  assert.ok(sandbox.heights.every((h) => h >= 84), `lanes as tall as before: ${sandbox.heights}`);
  assert.ok(sandbox.records > 0);
  await context.close();
  const lesson = await openPage(browser, server.url, { width: 1366, height: 768, lessons: true });
  await lesson.page.waitForSelector('[data-lesson-card]');
  await lesson.page.click('[data-lesson-card]');
  await lesson.page.waitForSelector('g.lane');
  const inLesson = await lesson.page.$eval('svg.diagram', (svg) => ({
    overview: svg.classList.contains('overview'),
    heights: [...svg.querySelectorAll('g.lane .lane-bg')].map((r) => Number(r.getAttribute('height'))),
    headers: svg.querySelectorAll('.topic-header').length,
  }));
  assert.equal(inLesson.overview, false);
  assert.equal(inLesson.headers, 0, 'lesson topics have no fold control');
  assert.ok(inLesson.heights.length > 0 && inLesson.heights.every((h) => h >= 84));
  assert.deepEqual([...errors, ...lesson.errors], []);
  await lesson.context.close();
});
