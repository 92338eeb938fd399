import { StoredUser } from './user.mapper';
import { UserViewCache } from './user-view.cache';

const stored = (displayName: string): StoredUser => ({
  view: {
    id: 'user-1',
    email: 'ada@example.com',
    displayName,
    roles: ['user'],
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  disabled: false,
});

describe('UserViewCache', () => {
  let cache: UserViewCache;
  let reads: number;
  const load = (displayName: string) => () => {
    reads += 1;
    return Promise.resolve(stored(displayName));
  };

  beforeEach(() => {
    cache = new UserViewCache();
    reads = 0;
  });

  it('reads a user once, then answers from memory', async () => {
    await expect(cache.get('user-1', load('Ada'))).resolves.toEqual(stored('Ada'));
    await expect(cache.get('user-1', load('Ada'))).resolves.toEqual(stored('Ada'));
    expect(reads).toBe(1);
  });

  it('reads again once the user is forgotten', async () => {
    await cache.get('user-1', load('Ada'));
    cache.forget('user-1');
    await expect(cache.get('user-1', load('Ada L.'))).resolves.toMatchObject({
      view: { displayName: 'Ada L.' },
    });
    expect(reads).toBe(2);
  });

  it('does not keep what a read returned when a change was announced while it ran', async () => {
    let finish!: (value: StoredUser) => void;
    const slow = cache.get(
      'user-1',
      () => new Promise<StoredUser>((resolve) => (finish = resolve)),
    );
    cache.forget('user-1');
    finish(stored('stale'));
    await expect(slow).resolves.toMatchObject({ view: { displayName: 'stale' } });
    await expect(cache.get('user-1', load('fresh'))).resolves.toMatchObject({
      view: { displayName: 'fresh' },
    });
  });

  it('lets concurrent misses share one read, but not a read that began before a change', async () => {
    let finish!: (value: StoredUser) => void;
    const slow = () => {
      reads += 1;
      return new Promise<StoredUser>((resolve) => (finish = resolve));
    };
    const first = cache.get('user-1', slow);
    const second = cache.get('user-1', slow);
    expect(reads).toBe(1);
    finish(stored('Ada'));
    await expect(Promise.all([first, second])).resolves.toEqual([stored('Ada'), stored('Ada')]);

    cache.forget('user-1');
    const before = cache.get('user-1', slow);
    const finishBefore = finish;
    cache.forget('user-1');
    const after = cache.get('user-1', slow);
    expect(reads).toBe(3);
    finishBefore(stored('stale'));
    finish(stored('fresh'));
    await expect(before).resolves.toMatchObject({ view: { displayName: 'stale' } });
    await expect(after).resolves.toMatchObject({ view: { displayName: 'fresh' } });
  });

  it('does not keep a failed read', async () => {
    await expect(cache.get('user-1', () => Promise.reject(new Error('gone')))).rejects.toThrow(
      'gone',
    );
    await expect(cache.get('user-1', load('Ada'))).resolves.toMatchObject({
      view: { displayName: 'Ada' },
    });
  });

  it('hands out views nobody can change, since one answers many requests', async () => {
    const shared = await cache.get('user-1', load('Ada'));
    expect(() => Object.assign(shared.view, { displayName: 'Mallory' })).toThrow(TypeError);
    expect(() => (shared.view.roles as string[]).push('admin')).toThrow(TypeError);
    expect(() => Object.assign(shared, { disabled: false })).toThrow(TypeError);
  });
});
