import { ContextDatabase } from '@platform/database';
import { ordersMigrations } from '@platform/migrations/orders';

/** The orders context's schema and migrations; its store speaks SQL, so it maps no entities. */
export const ordersDatabase: ContextDatabase = {
  schema: 'orders',
  entities: [],
  migrations: ordersMigrations,
};
