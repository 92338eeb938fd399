import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AccountEmail, normalizeEmail } from './account-email.decorator';

class Probe {
  @AccountEmail()
  email!: string;
}

describe('normalizeEmail', () => {
  it.each([
    ['full-width letters', 'ａｄａ@ｅｘａｍｐｌｅ.ｃｏｍ', 'ada@example.com'],
    ['mixed case and spaces', '  Ada@Example.COM ', 'ada@example.com'],
    ['a ligature', 'ﬃ@example.com', 'ffi@example.com'],
    ['the sharp s', 'straße@example.com', 'strasse@example.com'],
    ['the capital sharp s', 'STRAẞE@example.com', 'strasse@example.com'],
    ['the long s', 'ſam@example.com', 'sam@example.com'],
    ['a title-case digraph', 'ǅemal@example.com', 'džemal@example.com'],
    ['the final sigma', 'ΟΔΥΣΣΕΥΣ@example.com', 'οδυσσευσ@example.com'],
    ['the Kelvin sign', 'K@example.com', 'k@example.com'],
  ])('folds %s', (_case, given, expected) => {
    expect(normalizeEmail(given)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const email of ['ＡＤＡ@x.com', 'STRAẞE@x.de', 'ΣΊΣΥΦΟΣ@x.gr', 'İ@x.tr']) {
      const once = normalizeEmail(email);
      expect(normalizeEmail(once)).toBe(once);
    }
  });

  it('leaves what is not a string to validation', () => {
    expect(normalizeEmail(42)).toBe(42);
  });
});

describe('@AccountEmail()', () => {
  const check = (email: unknown) => {
    const probe = plainToInstance(Probe, { email });
    return { email: probe.email, errors: validateSync(probe).length };
  };

  it('stores the normal form', () => {
    expect(check('ＡＤＡ@Example.com')).toEqual({ email: 'ada@example.com', errors: 0 });
  });

  it('refuses an address that is not one once normalized', () => {
    expect(check('ada＠').errors).toBe(1);
    expect(check(`${'a'.repeat(250)}@x.io`).errors).toBe(1);
    expect(check(7).errors).toBe(1);
  });
});
