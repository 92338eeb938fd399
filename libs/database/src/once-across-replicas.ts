import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in a transaction on one replica only: the one that takes the transaction-level
 * advisory lock `name`; the others, finding it taken, skip their turn (false). For periodic
 * work that would only repeat itself on every replica, such as housekeeping.
 */
export async function onceAcrossReplicas(
  dataSource: DataSource,
  name: string,
  work: (manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
      [name],
    );
    if (locked) await work(manager);
    return locked;
  });
}
