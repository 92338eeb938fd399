import { CombinedWrite } from './combined-write';

describe('CombinedWrite', () => {
  function recorder() {
    const calls: { text: string; parameters?: unknown[] }[] = [];
    return {
      calls,
      query: async (text: string, parameters?: unknown[]) => calls.push({ text, parameters }),
    };
  }

  it('numbers the placeholders of clauses written apart in one sequence, and sends one statement', async () => {
    const write = new CombinedWrite();
    const p = write.parameter;
    const first = write.add(
      'created',
      `INSERT INTO t (a, b) VALUES (${p('x')}, ${p(1)}) RETURNING a`,
    );
    write.add('copied', `INSERT INTO u (a, c) SELECT a, ${p(null)} FROM ${first}`);
    const on = recorder();
    await write.run(on);
    expect(on.calls).toEqual([
      {
        text:
          'WITH created AS (INSERT INTO t (a, b) VALUES ($1, $2) RETURNING a),\n' +
          'copied AS (INSERT INTO u (a, c) SELECT a, $3 FROM created)\nSELECT',
        parameters: ['x', 1, null],
      },
    ]);
  });

  it('gives a clause whose name is taken a numbered one', () => {
    const write = new CombinedWrite();
    expect(write.add('event', 'DELETE FROM t')).toBe('event');
    expect(write.add('event', 'DELETE FROM u')).toBe('event_2');
    expect(write.add('event', 'DELETE FROM v')).toBe('event_3');
  });

  it('sends nothing when nothing was added', async () => {
    const on = recorder();
    await new CombinedWrite().run(on);
    expect(on.calls).toEqual([]);
  });
});
