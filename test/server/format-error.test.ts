import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFormatError, MASKED_MESSAGE } from '../../server/app/format-error.js';
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

  it('passes coded errors, without stack traces in production', () => {
    const error = new NotFoundError('No partner tenant with this id.');
    const formatted = {
      ...error.toJSON(),
      extensions: { ...error.extensions, stacktrace: ['at x'] },
    };
    expect(
      createFormatError({ production: false })(formatted, error).extensions?.stacktrace,
    ).toBeDefined();
    const prod = createFormatError({ production: true })(formatted, error);
    expect(prod).toEqual({
      message: 'No partner tenant with this id.',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});
