import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { authDatabase } from '../auth.database';
import { CredentialEntity } from './credential.entity';
import { CredentialStore } from './credential.store';

/** The credential side of the registration saga, on PostgreSQL with the auth schema. */
describe('CredentialStore (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let store: CredentialStore;
  const email = () => `${randomUUID()}@example.com`;

  beforeAll(async () => {
    scratch = await scratchContextDatabase('credentials', authDatabase);
    dataSource = scratch.dataSource;
    store = new CredentialStore(dataSource.getRepository(CredentialEntity));
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it('stores a credential pending, and refuses a second one for the same email', async () => {
    const address = email();
    await store.insertPending(randomUUID(), address, 'hash', 60);
    expect((await store.findByEmail(address))?.status).toBe('pending');
    const second = await store
      .insertPending(randomUUID(), address, 'hash', 60)
      .catch((error: ServiceError) => error.code);
    expect(second).toBe(ErrorCode.EmailAlreadyRegistered);
  });

  it('activates a pending credential once, and never one being cancelled', async () => {
    const [active, cancelled] = [randomUUID(), randomUUID()];
    await store.insertPending(active, email(), 'hash', 60);
    await store.insertPending(cancelled, email(), 'hash', 60);
    const activations = await Promise.all([
      store.activate(dataSource.manager, active),
      store.activate(dataSource.manager, active),
    ]);
    expect(activations.sort()).toEqual([false, true]);
    expect(await store.findActive(active)).not.toBeNull();

    expect(await store.markCancelling(cancelled)).toBe(true);
    expect(await store.activate(dataSource.manager, cancelled)).toBe(false);
    await store.deleteUnsettled(cancelled);
    await store.deleteUnsettled(active);
    expect(await store.statusesOf([active, cancelled])).toEqual(new Map([[active, 'active']]));
  });

  it('hands each stalled credential to one repairer, and only a stalled one to a retry', async () => {
    const [due, young] = [randomUUID(), randomUUID()];
    await store.insertPending(due, email(), 'hash', 0);
    await store.insertPending(young, email(), 'hash', 60);
    expect(await store.resume(due, 60)).toBe(false);

    const [a, b] = await Promise.all([store.claimUnsettled(50, 30), store.claimUnsettled(50, 30)]);
    const claimed = [...a, ...b].map((row) => row.userId);
    expect(claimed.filter((id) => id === due)).toEqual([due]);
    expect(claimed).not.toContain(young);
    expect([...a, ...b].find((row) => row.userId === due)?.status).toBe('pending');
    // Claimed means stalled: a retry of that registration may now carry it on, once.
    expect(await Promise.all([store.resume(due, 60), store.resume(due, 60)])).toContain(true);
    expect((await store.claimUnsettled(50, 30)).map((row) => row.userId)).not.toContain(due);
  });
});
