import { ErrorCode, ServiceError } from '@platform/contracts';
import { ReusedCredential, sendWithCredential } from './reused-credential';

/** `Bearer <jwt>` whose header names `kid`; the signature is not looked at. */
const bearer = (kid: string, id = 'a') =>
  `Bearer ${Buffer.from(JSON.stringify({ typ: 'at+jwt', alg: 'ES256', kid })).toString('base64url')}.${id}.sig`;

/** A credential held as `held`, which renews to `renewed`. */
function credential(renewed: string, held = bearer('withdrawn')) {
  const renewals: string[] = [];
  const reused: ReusedCredential = {
    authorization: () => Promise.resolve(held),
    renew: (refused) => {
      renewals.push(refused);
      return Promise.resolve(renewed);
    },
  };
  return { reused, held, renewals };
}

const refusedUnless = (accepted: string, error: ServiceError) => (authorization: string) =>
  authorization === accepted ? Promise.resolve('obeyed') : Promise.reject(error);

describe('sendWithCredential', () => {
  it.each([
    ['invalid_token', new ServiceError(ErrorCode.InvalidToken, 'Unknown signing key')],
    [
      'a refused sender',
      new ServiceError(ErrorCode.Forbidden, 'Only the service auth may send this'),
    ],
  ])('sends once more with a renewed credential after %s', async (_name, error) => {
    const renewed = bearer('signing');
    const { reused, held, renewals } = credential(renewed);
    await expect(sendWithCredential(reused, refusedUnless(renewed, error))).resolves.toBe('obeyed');
    expect(renewals).toEqual([held]);
  });

  it.each([
    ['the same key', bearer('k1', 'b'), bearer('k1', 'a')],
    ['no key it can read', 'Bearer not-a-jwt', 'Bearer x.y.z'],
  ])('passes the refusal on when the renewed credential names %s', async (_name, renewed, held) => {
    const error = new ServiceError(ErrorCode.Forbidden, 'Only the service users may send this');
    const { reused } = credential(renewed, held);
    const send = jest.fn(refusedUnless(renewed, error));
    await expect(sendWithCredential(reused, send)).rejects.toBe(error);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('sends no more than twice, whatever the callee answers', async () => {
    const error = new ServiceError(ErrorCode.InvalidToken, 'Token revoked');
    const { reused } = credential(bearer('signing'));
    const send = jest.fn(refusedUnless('none', error));
    await expect(sendWithCredential(reused, send)).rejects.toBe(error);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['a validation error', new ServiceError(ErrorCode.ValidationFailed, 'id must be a UUID')],
    ['an unavailable service', new ServiceError(ErrorCode.ServiceUnavailable, 'No answer')],
    ['a plain error', new Error('boom')],
  ])('renews nothing after %s', async (_name, error) => {
    const { reused, renewals } = credential(bearer('signing'));
    await expect(sendWithCredential(reused, () => Promise.reject(error))).rejects.toBe(error);
    expect(renewals).toEqual([]);
  });
});
