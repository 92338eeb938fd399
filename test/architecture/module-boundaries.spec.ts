import { ESLint } from 'eslint';
import { resolve } from 'node:path';

/**
 * The lint rule that keeps the monolith splittable must itself be proven to bite: a context
 * reaching into another context's internals fails the build, `libs/contracts` does not.
 */
describe('module boundaries', () => {
  const eslint = new ESLint({ cwd: resolve(__dirname, '../..') });

  async function lint(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  }

  it.each([
    ['libs/users/src/probe.ts', "import { GatewayModule } from '@platform/gateway';"],
    ['libs/gateway/src/probe.ts', "import { UsersModule } from '@platform/users';"],
    ['libs/gateway/src/probe.ts', "import { UsersService } from '../../users/src/users.service';"],
    ['libs/transport/src/probe.ts', "import { UsersModule } from '@platform/users';"],
    ['libs/contracts/src/probe.ts', "import { MessageBus } from '@platform/transport';"],
  ])('refuses %s importing across a boundary', async (filePath, code) => {
    expect(await lint(filePath, `${code}\nexport const probe = 1;\n`)).not.toEqual([]);
  });

  it.each([
    ['libs/gateway/src/probe.ts', "import { UsersPattern } from '@platform/contracts';"],
    ['libs/users/src/probe.ts', "import { MessageBus } from '@platform/transport';"],
    ['apps/platform/src/probe.ts', "import { UsersModule } from '@platform/users';"],
  ])('allows %s to import through the doors', async (filePath, code) => {
    expect(await lint(filePath, `${code}\nexport const probe = 1;\n`)).toEqual([]);
  });
});
