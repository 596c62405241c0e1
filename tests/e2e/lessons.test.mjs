// Lessons, as a class would follow them: the lesson list greets a newcomer; every lesson is
// played to its end through the UI (show me for tasks, a choice for predictions), with a
// screenshot of each step at 1920x1080; a malformed lesson file gives a clear message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openPage, screenshot, answerTask } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('every lesson plays to its end through the UI', async () => {
  const { page, errors } = await openPage(browser, server.url, { width: 1920, height: 1080, lessons: true });
  await page.waitForSelector('[data-lesson-card]');
  const ids = await page.$$eval('[data-lesson-card]', (els) => els.map((e) => e.dataset.lessonCard));
  assert.ok(ids.length >= 6, `six lessons or more: ${ids}`);
  await screenshot(page, 'lessons-list-1920x1080-light');
  for (const id of ids) {
    if (!(await page.$(`[data-lesson-card="${id}"]`))) {
      await page.click('#lessons');
    }
    await page.click(`[data-lesson-card="${id}"]`);
    await page.waitForSelector(`section.lesson[data-lesson="${id}"][data-step="0"]`);
    for (let step = 0; ; step++) {
      await page.waitForSelector(`section.lesson[data-step="${step}"]`);
      await answerTask(page);
      await screenshot(page, `lesson-${id}-step-${step + 1}`);
      if (await page.isDisabled('#lesson-next')) break;
      await page.click('#lesson-next');
    }
    // Stepping back restores the earlier step.
    await page.keyboard.press('PageUp');
    await page.waitForSelector('section.lesson .step-count');
  }
  assert.deepEqual(errors, []);
});

test('a lesson opens by URL and the clicker keys move through it', async () => {
  const { page, errors } = await openPage(browser, `${server.url}?lesson=order-events`, { width: 1920, height: 1080, colorScheme: 'dark' });
  await page.waitForSelector('section.lesson[data-lesson="order-events"][data-step="0"]');
  await page.keyboard.press('PageDown');
  await page.waitForSelector('section.lesson[data-step="1"]');
  await page.keyboard.press('.');
  await page.waitForSelector('section.lesson[data-step="2"]');
  await page.keyboard.press('PageUp');
  await page.waitForSelector('section.lesson[data-step="1"]');
  await page.click('#presenter');
  // In presenter mode the space bar is the clicker's "next".
  await page.keyboard.press('Space');
  await page.waitForSelector('section.lesson[data-step="2"]');
  await screenshot(page, 'lesson-presenter-1920x1080-dark');
  assert.deepEqual(errors, []);
});

test('a malformed lesson file names the line and the field', async () => {
  const { page } = await openPage(browser, server.url, { lessons: true });
  await page.waitForSelector('#lesson-file', { state: 'attached' });
  const bad = '{\n  "id": "x",\n  "title": "Broken",\n  "summary": "s",\n  "level": "intro",\n  "seed": 1,\n  "steps": [\n    { "title": "One", "narration": ["n"], "task": { "do": { "prompt": "p", "goal": { "every_partition": {} }, "show_me": [] } } }\n  ]\n}\n';
  await page.setInputFiles('#lesson-file', { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await page.waitForSelector('.error-banner');
  const text = await page.textContent('.error-banner');
  assert.match(text, /broken\.json line 8/);
  assert.match(text, /steps\[0\]\.task\.do\.goal/);
  await page.waitForSelector('[data-lesson-card]');
});

test('a teacher loads a lesson file and shares it as a link', async () => {
  const { page, errors } = await openPage(browser, server.url, { lessons: true });
  await page.waitForSelector('#lesson-file', { state: 'attached' });
  const lesson = {
    id: 'my-lesson', title: 'My own lesson', summary: 'A teacher wrote this.', level: 'intro', seed: 7,
    setup: ['kafka-topics --create --topic talks --partitions 2'],
    steps: [
      { title: 'Hello', narration: ['A topic with two partitions.'], highlight: ['topic:talks'] },
      { title: 'A record', narration: ['One keyed record.'], commands: ['produce talks "hello class" --key k1'] },
    ],
  };
  await page.setInputFiles('#lesson-file', { name: 'my-lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson, null, 2)) });
  await page.waitForSelector('section.lesson[data-lesson="my-lesson"][data-step="0"]');
  await page.click('#lesson-next');
  await page.waitForSelector('g.record[data-key="k1"]');
  await page.click('#lesson-share');
  await page.waitForSelector('.notice-banner');
  const url = page.url();
  assert.match(url, /#l1\./);
  const other = await openPage(browser, url, { lessons: true });
  await other.page.waitForSelector('section.lesson[data-lesson="my-lesson"][data-step="0"]');
  assert.equal(await other.page.textContent('section.lesson h2'), 'My own lesson');
  assert.deepEqual([...errors, ...other.errors], []);
});
