import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/env.js';
import { graphUrlFor } from '../../server/graph/gdap.client.js';

describe('GDAP configuration', () => {
  it('is off by default and takes required, optional or off', () => {
    expect(loadConfig({}).gdap).toEqual({ mode: 'off', graphUrl: undefined });
    expect(loadConfig({ GDAP: 'required' }).gdap.mode).toBe('required');
    expect(loadConfig({ GDAP: 'optional' }).gdap.mode).toBe('optional');
    expect(() => loadConfig({ GDAP: 'yes' })).toThrow(/GDAP/);
  });

  it('finds Microsoft Graph next to Partner Center, or takes GRAPH_URL', () => {
    expect(loadConfig({ GRAPH_URL: 'https://graph.example.test/v1.0' }).gdap.graphUrl).toBe(
      'https://graph.example.test/v1.0',
    );
    expect(() => loadConfig({ GRAPH_URL: 'not a url' })).toThrow(/GRAPH_URL/);
    expect(graphUrlFor('https://api.partnercenter.microsoft.com')).toBe(
      'https://graph.microsoft.com/v1.0',
    );
    expect(graphUrlFor('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010/graph/v1.0');
  });
});
