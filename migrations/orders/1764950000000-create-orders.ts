import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable, dropOutboxTable } from '@platform/transport';

/**
 * The orders context's schema: orders with their items (they are read and written whole), and
 * its outbox. `email` is the buyer's as the users context had it when the order was placed.
 */
export class CreateOrders1764950000000 implements MigrationInterface {
  name = 'CreateOrders1764950000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE orders.orders (
        id         uuid PRIMARY KEY,
        user_id    uuid NOT NULL,
        email      text NOT NULL,
        items      jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX orders_user_idx ON orders.orders (user_id, created_at DESC)`);
    await runner.query(`CREATE INDEX orders_created_idx ON orders.orders (created_at DESC)`);
    await createOutboxTable(runner, 'orders');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropOutboxTable(runner, 'orders');
    await runner.query(`DROP TABLE orders.orders`);
  }
}
