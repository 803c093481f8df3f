import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/index.js';
import { startTestApp, type TestApp } from '../support/app.js';

// The console's HTTP surface (server/app/console.route.ts) over real HTTP, on a stand-in build:
// static files, the SPA fallback, the redirect, config.json and what must not be served.

const INDEX =
  '<!doctype html><title>console</title><script src="/console/assets/app-1.js"></script>';

describe('console route', () => {
  let dir: string;
  let t: TestApp;
  let bare: TestApp;
  let emulator: Emulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-route-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'app-1.js'), 'console.log(1);');
    await writeFile(join(tmpdir(), 'console-route-secret.txt'), 'secret');
    emulator = createEmulator({ scenario: 'empty' });
    t = await startTestApp({
      console: { consoleDir: dir, devToken: 'dev-token-123', demoClock: emulator.clock },
    });
    bare = await startTestApp({ console: { consoleDir: join(dir, 'missing') } });
  });

  afterAll(async () => {
    await t.close();
    await bare.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (app: TestApp, path: string) =>
    fetch(`${app.http.url}${path}`, { redirect: 'manual' });

  it('serves index.html at /console/ and for any console route (SPA fallback)', async () => {
    for (const path of ['/console/', '/console/workflows/V2YxOjEyMw', '/console/plan/transfer']) {
      const res = await get(t, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('redirects /console to /console/', async () => {
    const res = await get(t, '/console?x=1');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/console/?x=1');
  });

  it('serves hashed assets with a long cache and a JavaScript type', async () => {
    const res = await get(t, '/console/assets/app-1.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(await res.text()).toBe('console.log(1);');
  });

  it('answers 404 for a missing asset, paths outside the build and look-alike prefixes', async () => {
    expect((await get(t, '/console/assets/missing.js')).status).toBe(404);
    const outside = await get(t, '/console/..%2fconsole-route-secret.txt');
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain('secret');
    expect((await get(t, '/consoles')).status).toBe(404);
  });

  it('offers the dev token in config.json only when the server has one', async () => {
    expect(await (await get(t, '/console/config.json')).json()).toEqual({
      devToken: 'dev-token-123',
      demoClock: true,
    });
    expect(await (await get(bare, '/console/config.json')).json()).toEqual({});
  });

  it('says how to build the console when it is not built', async () => {
    const res = await get(bare, '/console/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('moves the demo clock by the offered steps only, for a signed-in caller', async () => {
    const token = await t.token('org-a');
    const post = (app: TestApp, body: string, auth: string | null = token) =>
      fetch(`${app.http.url}/console/demo-clock`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        },
        body,
      });
    const start = emulator.clock.now().getTime();
    expect((await post(t, '{"duration":"PT6H"}', null)).status).toBe(401);
    const bad = await post(t, '{"duration":"P1Y"}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('PT1H, PT6H, P1D');
    expect((await post(t, 'not json')).status).toBe(400);
    expect(emulator.clock.now().getTime()).toBe(start);

    const moved = await post(t, '{"duration":"PT6H"}');
    expect(moved.status).toBe(200);
    expect(emulator.clock.now().getTime()).toBe(start + 6 * 3600_000);
    expect(await moved.json()).toEqual({ now: emulator.clock.now().toISOString() });
    const read = await fetch(`${t.http.url}/console/demo-clock`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await read.json()) as { now: string }).now).toBe(emulator.clock.now().toISOString());
    // Outside emulator mode there is no demo clock: the path is just a console route.
    expect((await post(bare, '{"duration":"PT6H"}')).status).toBe(404);
  });
});
