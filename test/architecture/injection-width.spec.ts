import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { GatewayModule } from '@platform/gateway';
import { OrdersModule } from '@platform/orders';
import { UsersModule } from '@platform/users';

/** A class that needs more collaborators than this does more than one thing. */
const MAX_DEPENDENCIES = 5;

/** The classes a module declares and those of the static modules it imports. */
function classesOf(module: Type, seen = new Set<Type>()): Type[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const declared = ['providers', 'controllers'].flatMap(
    (key) => (Reflect.getMetadata(key, module) as unknown[] | undefined) ?? [],
  );
  const imported = ((Reflect.getMetadata('imports', module) as unknown[] | undefined) ?? [])
    .filter((entry): entry is Type => typeof entry === 'function')
    .flatMap((entry) => classesOf(entry, seen));
  return [...declared.filter((entry): entry is Type => typeof entry === 'function'), ...imported];
}

describe('injection width', () => {
  const classes = [AuthModule, UsersModule, OrdersModule, GatewayModule].flatMap((module) =>
    classesOf(module),
  );

  it('finds the classes of every context', () => {
    expect(classes.length).toBeGreaterThan(20);
  });

  it.each(classes.map((type) => [type.name, type] as const))(
    '%s injects at most five dependencies',
    (_name, type) => {
      const parameters = (Reflect.getMetadata('design:paramtypes', type) as unknown[]) ?? [];
      expect(parameters.length).toBeLessThanOrEqual(MAX_DEPENDENCIES);
    },
  );
});
