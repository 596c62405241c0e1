// The classroom-hardware benchmark: the release build in headless Chromium with the CPU
// throttled (DevTools' Emulation.setCPUThrottlingRate, 4× by default), for the sandbox and
// the 3 × 24 × 50 scene (?scene=scale). For each it prints the time to the first drawn
// diagram, the long tasks (over 50 ms) during load and during the playback that follows,
// and the frame intervals of that playback. A benchmark, not a test: it asserts nothing.
// Run after `trunk build --release --offline`:
//   node scripts/bench-throttled.mjs [--rate 4] [--seconds 60] [--scene sandbox|scale]
// With --first-drawing URL it compares instead the first drawing of the sandbox with that
// of another page (any URL, e.g. a peer served from a local directory), in the same
// browser under the same throttling, alternating --runs times (5 by default), and prints
// each page's medians: first contentful paint and first drawing (the first frame after a
// script adds an <svg> or draws into one). --stub-jquery a,b gives the other page no-op
// jQuery plugins of those names when it lacks them (a checkout without its submodules).
import { serveDist, launch } from '../tests/e2e/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const text = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rate = arg('rate', 4);
const seconds = arg('seconds', 60);
const onlyScene = text('scene');
const otherUrl = text('first-drawing');
const runs = arg('runs', 5);
const stubs = (text('stub-jquery') ?? '').split(',').filter(Boolean);

// Installed before the app's scripts run, so load's long tasks and the first diagram are seen.
const probe = () => {
  window.__bench = { longTasks: [], firstDiagramMs: null, frames: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('svg.diagram')) {
      window.__bench.firstDiagramMs = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

// Installed before any script of the page: the first contentful paint, and the first frame
// after a script adds an <svg> or elements inside one (the page's first drawing).
const drawingProbe = () => {
  window.__drawing = { fcp: null, drawn: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__drawing.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const inSvg = (node) => node.nodeType === 1 && (node.nodeName.toLowerCase() === 'svg' || node.closest?.('svg'));
  new MutationObserver((records, observer) => {
    if (records.some((r) => [...r.addedNodes].some(inSvg))) {
      observer.disconnect();
      requestAnimationFrame(() => { window.__drawing.drawn = performance.now(); });
    }
  }).observe(document, { childList: true, subtree: true });
};

// No-op jQuery plugins for a page whose checkout lacks them, set as jQuery arrives.
const jqueryStubs = (names) => {
  let jq;
  Object.defineProperty(window, 'jQuery', {
    configurable: true,
    get: () => jq,
    set: (value) => {
      jq = value;
      for (const name of names) {
        if (value?.fn && !value.fn[name]) value.fn[name] = function (command) { return command === 'getValue' ? 0 : this; };
      }
    },
  });
};

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)]) : null;
};

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10 : 0;
  return { median: at(0.5), p95: at(0.95), max: at(1) };
};

const server = await serveDist();
const browser = await launch();

/** Opens `url` throttled and resolves to its first contentful paint and first drawing. */
const firstDrawing = async (url, { app = false } = {}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  if (app) await context.addInitScript(() => { try { localStorage.setItem('kafka-sim.visited', '1'); } catch (_) { /* private mode */ } });
  else if (stubs.length) await context.addInitScript(jqueryStubs, stubs);
  await context.addInitScript(drawingProbe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(url);
  await page.waitForFunction(() => window.__drawing.drawn !== null && window.__drawing.fcp !== null, null, { timeout: 120_000 });
  const result = await page.evaluate(() => window.__drawing);
  await context.close();
  return result;
};

if (otherUrl) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ours.push(await firstDrawing(server.url, { app: true }));
    theirs.push(await firstDrawing(otherUrl));
  }
  const report = (results) => ({ fcpMs: median(results.map((r) => r.fcp)), firstDrawingMs: median(results.map((r) => r.drawn)) });
  const [a, b] = [report(ours), report(theirs)];
  console.log(`throttled ${rate}× first drawing, median of ${runs}: ${JSON.stringify({
    sandbox: a,
    [otherUrl]: b,
    ratio: b.firstDrawingMs ? Math.round((a.firstDrawingMs / b.firstDrawingMs) * 100) / 100 : null,
  })}`);
  await browser.close();
  await server.close();
  process.exit(0);
}

try {
  const scenes = [['sandbox', ''], ['scale 3×24×50', '?scene=scale']].filter(([name]) => !onlyScene || name.startsWith(onlyScene));
  for (const [name, query] of scenes) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // A returning visitor: the sandbox opens, not the lesson list.
    await context.addInitScript(() => { try { localStorage.setItem('kafka-sim.visited', '1'); } catch (_) { /* private mode */ } });
    await context.addInitScript(probe);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(`${server.url}${query}`);
    await page.waitForSelector('.app', { timeout: 120_000 });
    if (await page.$('#open-sandbox')) await page.click('#open-sandbox');
    await page.waitForSelector('svg.diagram', { timeout: 120_000 });
    const loadedAt = await page.evaluate(() => performance.now());
    await page.evaluate(() => {
      const frames = window.__bench.frames;
      let last = performance.now();
      const tick = (now) => { frames.push(now - last); last = now; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.waitForTimeout(seconds * 1000);
    const b = await page.evaluate(() => window.__bench);
    const load = b.longTasks.filter((t) => t.at <= loadedAt);
    const play = b.longTasks.filter((t) => t.at > loadedAt);
    console.log(`throttled ${rate}× ${name}: ${JSON.stringify({
      firstDiagramMs: Math.round(b.firstDiagramMs ?? loadedAt),
      load: { longTasks: load.length, maxMs: Math.round(Math.max(0, ...load.map((t) => t.ms))) },
      playback: {
        seconds,
        frames: b.frames.length,
        frameMs: summary(b.frames),
        longTasks: play.length,
        maxMs: Math.round(Math.max(0, ...play.map((t) => t.ms))),
      },
    })}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
