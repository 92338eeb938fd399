import { UserView } from '@platform/contracts';
import { UserViewCache } from './user-view.cache';

const view = (displayName: string): UserView => ({
  id: 'user-1',
  email: 'ada@example.com',
  displayName,
  roles: ['user'],
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('UserViewCache', () => {
  let cache: UserViewCache;
  let reads: number;
  const load = (displayName: string) => () => {
    reads += 1;
    return Promise.resolve(view(displayName));
  };

  beforeEach(() => {
    cache = new UserViewCache();
    reads = 0;
  });

  it('reads a user once, then answers from memory', async () => {
    await expect(cache.get('user-1', load('Ada'))).resolves.toEqual(view('Ada'));
    await expect(cache.get('user-1', load('Ada'))).resolves.toEqual(view('Ada'));
    expect(reads).toBe(1);
  });

  it('reads again once the user is forgotten', async () => {
    await cache.get('user-1', load('Ada'));
    cache.forget('user-1');
    await expect(cache.get('user-1', load('Ada L.'))).resolves.toMatchObject({
      displayName: 'Ada L.',
    });
    expect(reads).toBe(2);
  });

  it('does not keep what a read returned when a change was announced while it ran', async () => {
    let finish!: (value: UserView) => void;
    const slow = cache.get('user-1', () => new Promise<UserView>((resolve) => (finish = resolve)));
    cache.forget('user-1');
    finish(view('stale'));
    await expect(slow).resolves.toMatchObject({ displayName: 'stale' });
    await expect(cache.get('user-1', load('fresh'))).resolves.toMatchObject({
      displayName: 'fresh',
    });
  });

  it('does not keep a failed read', async () => {
    await expect(cache.get('user-1', () => Promise.reject(new Error('gone')))).rejects.toThrow(
      'gone',
    );
    await expect(cache.get('user-1', load('Ada'))).resolves.toMatchObject({ displayName: 'Ada' });
  });

  it('hands out views nobody can change, since one answers many requests', async () => {
    const shared = await cache.get('user-1', load('Ada'));
    expect(() => Object.assign(shared, { displayName: 'Mallory' })).toThrow(TypeError);
    expect(() => (shared.roles as string[]).push('admin')).toThrow(TypeError);
  });
});
