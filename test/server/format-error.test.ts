import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFormatError, MASKED_MESSAGE } from '../../server/app/format-error.js';
import { loadConfig } from '../../server/config/env.js';
import { NotFoundError } from '../../server/shared/errors.js';

describe('formatError', () => {
  it('masks errors without a known code', () => {
    const format = createFormatError({ production: false });
    const internal = new GraphQLError('SQLITE_BUSY: database is locked at /srv/app.db', {
      path: ['viewer'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1'] },
    });
    expect(format(internal.toJSON(), internal)).toEqual({
      message: MASKED_MESSAGE,
      path: ['viewer'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('passes coded errors, without stack traces unless asked for, never in production', () => {
    const error = new NotFoundError('No partner tenant with this id.');
    const formatted = {
      ...error.toJSON(),
      extensions: { ...error.extensions, stacktrace: ['at x'] },
    };
    // Development: stack traces only when asked for (GRAPHQL_STACK_TRACES=on).
    expect(createFormatError({ production: false })(formatted, error)).toEqual({
      message: 'No partner tenant with this id.',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(
      createFormatError({ production: false, stackTraces: true })(formatted, error).extensions
        ?.stacktrace,
    ).toEqual(['at x']);
    expect(
      createFormatError({ production: true, stackTraces: true })(formatted, error).extensions
        ?.stacktrace,
    ).toBeUndefined();
    const prod = createFormatError({ production: true })(formatted, error);
    expect(prod).toEqual({
      message: 'No partner tenant with this id.',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('GRAPHQL_STACK_TRACES: off by default, on when asked for, never in production', () => {
    expect(loadConfig({}).stackTraces).toBe(false);
    expect(loadConfig({ GRAPHQL_STACK_TRACES: 'on' }).stackTraces).toBe(true);
  });
});
