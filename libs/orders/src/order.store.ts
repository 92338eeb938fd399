import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OrderItemView, OrderView } from '@platform/contracts';

interface OrderRow {
  id: string;
  userId: string;
  email: string;
  items: OrderItemView[];
  createdAt: Date;
}

const COLUMNS = `id, user_id AS "userId", email, items, created_at AS "createdAt"`;

/** The rows of `orders.orders`; an order is stored and read whole, its items as JSON. */
@Injectable()
export class OrderStore {
  constructor(@InjectDataSource('orders') private readonly dataSource: DataSource) {}

  async insert(
    manager: EntityManager,
    order: { id: string; userId: string; email: string; items: OrderItemView[] },
  ): Promise<OrderView> {
    const [row]: OrderRow[] = await manager.query(
      `INSERT INTO orders.orders (id, user_id, email, items) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [order.id, order.userId, order.email, JSON.stringify(order.items)],
    );
    return toView(row);
  }

  async find(id: string): Promise<OrderView | undefined> {
    const rows: OrderRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM orders.orders WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toView(rows[0]) : undefined;
  }

  /** A page, newest first: one user's orders, or everyone's when `userId` is undefined. */
  async page(
    userId: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ items: OrderView[]; total: number }> {
    const where = userId === undefined ? '' : 'WHERE user_id = $3';
    const parameters = userId === undefined ? [limit, offset] : [limit, offset, userId];
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${COLUMNS} FROM orders.orders ${where}
          ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`,
        parameters,
      ) as Promise<OrderRow[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM orders.orders ${userId === undefined ? '' : 'WHERE user_id = $1'}`,
        userId === undefined ? [] : [userId],
      ) as Promise<{ total: number }[]>,
    ]);
    return { items: rows.map(toView), total };
  }
}

function toView(row: OrderRow): OrderView {
  return {
    id: row.id,
    userId: row.userId,
    email: row.email,
    items: row.items,
    createdAt: row.createdAt.toISOString(),
  };
}
