import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `bin`, as a suite in another language would start it: `npx partner-center-emulator`.
let child: ChildProcess | undefined;
let url = '';

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${url}${path}`, init);
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

async function tokenOfFirstPartner(): Promise<string> {
  const partners = await json<{ tenantId: string }[]>('/_emulator/partners');
  expect(partners.length).toBeGreaterThan(0);
  const { token } = await json<{ token: string }>(
    `/_emulator/token?tenantId=${partners[0]?.tenantId ?? ''}`,
  );
  return token;
}

beforeAll(async () => {
  const proc = spawn(
    'npx',
    ['--no-install', 'partner-center-emulator', '--port', '0', '--scenario', 'demo'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child = proc;
  let out = '';
  proc.stdout.setEncoding('utf8');
  url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found?.[1]) {
        resolve(found[1]);
      }
    });
    proc.once('exit', (code) => {
      reject(new Error(`the emulator exited (${String(code)}) before listening:\n${out}`));
    });
  });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

describe('partner-center-emulator standalone server (bin)', () => {
  it('lists the partner tenants, mints their tokens and serves /v1 over HTTP', async () => {
    const token = await tokenOfFirstPartner();
    const res = await fetch(`${url}/v1/customers?size=2`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it('takes faults over the control API', async () => {
    const token = await tokenOfFirstPartner();
    await json('/_emulator/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: '/v1/customers*', status: 503, times: 1 }),
    });
    const headers = { Authorization: `Bearer ${token}` };
    expect((await fetch(`${url}/v1/customers`, { headers })).status).toBe(503);
    expect((await fetch(`${url}/v1/customers`, { headers })).status).toBe(200);
  });
});
