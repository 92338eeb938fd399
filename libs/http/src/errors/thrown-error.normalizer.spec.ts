import { ErrorCode } from '@platform/contracts';
import { QueryFailedError } from 'typeorm';
import { normalizeError } from './thrown-error.normalizer';

/** A refusal as TypeORM reports PostgreSQL's, with its SQLSTATE. */
const refused = (code: string) =>
  new QueryFailedError(
    'INSERT INTO t VALUES ($1)',
    ['a\u0000b'],
    Object.assign(new Error(), { code }),
  );

describe('normalizeError', () => {
  it.each(['22021', '22P05'])(
    'answers text the database cannot store (SQLSTATE %s) as the caller’s 400, not repeating it',
    (code) => {
      const error = normalizeError(refused(code), 'correlation');
      expect(error.toReply()).toEqual({
        status: 400,
        code: ErrorCode.ValidationFailed,
        message: 'Request contains text that cannot be stored',
      });
    },
  );

  it('answers any other database failure as a bare 500', () => {
    expect(normalizeError(refused('22012'), 'correlation').toReply()).toMatchObject({
      status: 500,
      code: ErrorCode.Internal,
    });
  });
});
