import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from '../../server/app/logger.js';
import { loadConfig } from '../../server/config/env.js';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logs for a person at a terminal', () => {
  it('pretty-prints one readable line per record, secrets still removed', () => {
    const { lines, stream } = sink();
    const logger = createLogger({ level: 'info', pretty: true, destination: stream });
    logger.info({ workflowId: 'wf-1', authorization: 'Bearer secret-token' }, 'workflow started');
    const text = lines.join('');
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: workflow started/);
    expect(text).toContain('"workflowId":"wf-1"');
    expect(text).not.toContain('secret-token');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('keeps JSON lines by default (tests, pipes, production)', () => {
    const { lines, stream } = sink();
    createLogger({ level: 'info', destination: stream }).info({ a: 1 }, 'hello');
    expect(JSON.parse(lines.join(''))).toMatchObject({ msg: 'hello', a: 1, level: 30 });
  });

  it('chooses pretty output in development at a terminal only, LOG_FORMAT overrides', () => {
    expect(wantsPrettyLogs('auto', 'development', true)).toBe(true);
    expect(wantsPrettyLogs('auto', 'development', false)).toBe(false);
    expect(wantsPrettyLogs('auto', 'production', true)).toBe(false);
    expect(wantsPrettyLogs('json', 'development', true)).toBe(false);
    expect(wantsPrettyLogs('pretty', 'production', false)).toBe(true);
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' })).toThrow();
  });
});
