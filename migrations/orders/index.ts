import { CreateOrders1764950000000 } from './1764950000000-create-orders';

/** The orders context's migrations, oldest first. Never edit one that has landed; add another. */
export const ordersMigrations = [CreateOrders1764950000000];
