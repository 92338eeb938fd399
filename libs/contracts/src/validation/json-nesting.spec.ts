import { nestsDeeperThan } from './json-nesting';

describe('nestsDeeperThan', () => {
  const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('counts objects and arrays inside one another', () => {
    expect(nestsDeeperThan(arrays(3), 3)).toBe(false);
    expect(nestsDeeperThan(arrays(4), 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]},"c":{"d":[2]}}', 3)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'say "[[[["' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'ends in \\', list: [[[]]] }), 3)).toBe(true);
  });

  it('takes the deepest branch, not the number of brackets', () => {
    expect(nestsDeeperThan(JSON.stringify(Array.from({ length: 1000 }, () => [[1]])), 3)).toBe(
      false,
    );
  });
});
