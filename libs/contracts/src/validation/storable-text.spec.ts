import { isStorableText, unstorableTextFields } from './storable-text';

describe('isStorableText', () => {
  it.each([
    ['plain text', 'Ada Lovelace'],
    ['the empty string', ''],
    ['a pair of surrogates (an astral character)', 'a😀b'],
    ['U+FFFD and other control characters', '\uFFFD\u0001\t\n'],
  ])('takes %s', (_case, value) => {
    expect(isStorableText(value)).toBe(true);
  });

  it.each([
    ['U+0000', 'a\u0000b'],
    ['U+0000 alone', '\u0000'],
    ['a high surrogate before a letter', '\uD800x'],
    ['a high surrogate at the end', 'x\uD83D'],
    ['a low surrogate alone', '\uDC00'],
    ['a low surrogate after a letter', 'a\uDE00'],
    ['two high surrogates', '\uD83D\uD83D\uDE00'],
    ['a pair in the wrong order', '\uDE00\uD83D'],
  ])('refuses %s', (_case, value) => {
    expect(isStorableText(value)).toBe(false);
  });
});

describe('unstorableTextFields', () => {
  class Item {
    name = 'ok';
  }
  class Order {
    note = 'fine';
    tags: string[] = [];
    items: Item[] = [];
    form: Record<string, unknown> = {};
    count = 3;
  }

  it('names nothing in a DTO of storable text', () => {
    expect(unstorableTextFields(Object.assign(new Order(), { items: [new Item()] }))).toEqual([]);
  });

  it('names each offending property, array entry and nested DTO field by its dotted path', () => {
    const bad = new Item();
    bad.name = '\uD800';
    const order = Object.assign(new Order(), {
      note: 'a\u0000',
      tags: ['x', 'y\u0000'],
      items: [new Item(), bad],
    });
    expect(unstorableTextFields(order)).toEqual(['note', 'tags.1', 'items.1.name']);
  });

  it('leaves free-form records, which their owner reads, and what is not a DTO alone', () => {
    expect(unstorableTextFields(Object.assign(new Order(), { form: { a: '\u0000' } }))).toEqual([]);
    expect(unstorableTextFields({ note: '\u0000' })).toEqual([]);
    expect(unstorableTextFields(null)).toEqual([]);
  });
});
