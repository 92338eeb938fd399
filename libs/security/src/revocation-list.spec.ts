import { Principal } from './principal';
import { RevocationList } from './revocation-list';

const NOW = 1_800_000_000;

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    subject: 'user-1',
    sessionId: 'session-1',
    clientId: 'web',
    scopes: [],
    roles: [],
    tokenId: 'jti-1',
    expiresAt: NOW + 300,
    issuedAt: NOW - 10,
    audience: ['orders'],
    token: 'token',
    ...overrides,
  };
}

describe('RevocationList', () => {
  let now: number;
  let list: RevocationList;

  beforeEach(() => {
    now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now * 1000);
    list = new RevocationList(900);
  });

  afterEach(() => {
    list.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('denies nothing when empty', () => {
    expect(list.isRevoked(principal())).toBe(false);
  });

  describe('by session', () => {
    it('denies the session until `until`, and no other session', () => {
      list.revokeSession('session-1', NOW + 60);
      expect(list.isRevoked(principal())).toBe(true);
      expect(list.isRevoked(principal({ issuedAt: NOW + 30 }))).toBe(true);
      expect(list.isRevoked(principal({ sessionId: 'session-2' }))).toBe(false);
      expect(list.isRevoked(principal({ sessionId: undefined }))).toBe(false);
      now = NOW + 59.9;
      expect(list.isRevoked(principal())).toBe(true);
      now = NOW + 60;
      expect(list.isRevoked(principal())).toBe(false);
      expect(list.size).toBe(0);
    });

    it('keeps the later `until` when revoked twice', () => {
      list.revokeSession('session-1', NOW + 120);
      list.revokeSession('session-1', NOW + 60);
      now = NOW + 90;
      expect(list.isRevoked(principal())).toBe(true);
    });

    it('ignores a revocation whose tokens have already expired', () => {
      list.revokeSession('session-1', NOW);
      expect(list.size).toBe(0);
    });
  });

  it('denies one token by jti until `until`', () => {
    list.revokeToken('jti-1', NOW + 60);
    expect(list.isRevoked(principal())).toBe(true);
    expect(list.isRevoked(principal({ tokenId: 'jti-2' }))).toBe(false);
    now = NOW + 60;
    expect(list.isRevoked(principal())).toBe(false);
    expect(list.size).toBe(0);
  });

  describe('by subject', () => {
    it('denies tokens issued before notBefore, not those issued from then on', () => {
      list.revokeSubject('user-1', NOW, NOW + 600);
      expect(list.isRevoked(principal({ issuedAt: NOW - 1 }))).toBe(true);
      expect(list.isRevoked(principal({ issuedAt: NOW }))).toBe(false);
      expect(list.isRevoked(principal({ issuedAt: NOW + 5 }))).toBe(false);
      expect(list.isRevoked(principal({ subject: 'user-2', issuedAt: NOW - 1 }))).toBe(false);
    });

    it('keeps the later notBefore and until when revoked twice', () => {
      list.revokeSubject('user-1', NOW + 10, NOW + 60);
      list.revokeSubject('user-1', NOW, NOW + 600);
      expect(list.isRevoked(principal({ issuedAt: NOW + 5 }))).toBe(true);
      now = NOW + 300;
      expect(list.isRevoked(principal({ issuedAt: NOW + 5 }))).toBe(true);
    });

    it('lapses at `until`', () => {
      list.revokeSubject('user-1', NOW, NOW + 60);
      now = NOW + 60;
      expect(list.isRevoked(principal({ issuedAt: NOW - 1 }))).toBe(false);
      expect(list.size).toBe(0);
    });
  });

  it('sweeps lapsed entries it is never asked about', () => {
    list.revokeSession('session-1', NOW + 60);
    list.revokeSession('session-2', NOW + 600);
    list.revokeSubject('user-1', NOW, NOW + 60);
    list.revokeSubject('user-2', NOW, NOW + 600);
    list.revokeToken('jti-1', NOW + 60);
    list.revokeToken('jti-2', NOW + 600);
    expect(list.size).toBe(6);
    now = NOW + 61;
    list.sweep();
    expect(list.size).toBe(3);
  });

  it('keeps no revocation longer than the longest token lifetime, whatever its until says', () => {
    list.revokeSession('session-1', NOW + 10 ** 9);
    list.revokeSubject('user-1', NOW, Number.MAX_SAFE_INTEGER);
    list.revokeToken('jti-1', NOW + 10 ** 9);
    expect(list.isRevoked(principal())).toBe(true);
    now = NOW + 901;
    list.sweep();
    expect(list.size).toBe(0);
  });

  it('denies every token of a disabled account issued up to now, for a token lifetime', () => {
    list.revokeAllTokensOf('user-1');
    expect(list.isRevoked(principal({ sessionId: 'other', tokenId: 'other', issuedAt: NOW }))).toBe(
      true,
    );
    expect(list.isRevoked(principal({ subject: 'user-2', sessionId: 'x', tokenId: 'y' }))).toBe(
      false,
    );
    now = NOW + 901;
    expect(list.isRevoked(principal({ sessionId: 'other', tokenId: 'other' }))).toBe(false);
  });

  describe('apply', () => {
    it('denies the sessions, subjects and tokens of a set of revocations', () => {
      list.apply({
        sessions: [{ sessionId: 'session-1', until: NOW + 60 }],
        subjects: [{ userId: 'user-2', notBefore: NOW, until: NOW + 60 }],
        tokens: [{ tokenId: 'jti-3', until: NOW + 60 }],
      });
      expect(list.isRevoked(principal())).toBe(true);
      expect(list.isRevoked(principal({ subject: 'user-2', sessionId: 'other' }))).toBe(true);
      expect(
        list.isRevoked(principal({ subject: 'user-2', sessionId: 'other', issuedAt: NOW })),
      ).toBe(false);
      expect(list.isRevoked(principal({ sessionId: 'other', tokenId: 'jti-3' }))).toBe(true);
      expect(list.isRevoked(principal({ sessionId: 'other', tokenId: 'jti-4' }))).toBe(false);
    });

    it('skips what is not of the expected shape, and nothing at all', () => {
      list.apply(undefined);
      list.apply(null);
      list.apply({ sessions: 'session-1' } as never);
      list.apply({
        sessions: [null, { sessionId: 1, until: NOW + 60 }, { sessionId: 'session-1' }],
        subjects: [{ userId: 'user-1', notBefore: 'now', until: NOW + 60 }],
        tokens: [{ tokenId: 'jti-1', until: String(NOW + 60) }],
      } as never);
      expect(list.size).toBe(0);
    });
  });

  it('sweeps on a timer, stopped when the module is destroyed', () => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    try {
      const timed = new RevocationList(900);
      timed.revokeSession('session-1', NOW + 60);
      now = NOW + 61;
      jest.advanceTimersByTime(60_000);
      expect(timed.size).toBe(0);
      timed.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
