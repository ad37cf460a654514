import { describe, expect, it } from 'vitest';
import { openDatabase } from './open-database.js';
import { arrayParam } from './array-param.js';

describe('arrayParam', () => {
  it('writes plain elements as they are and quotes the rest', () => {
    expect(arrayParam(['1', '-42', 7, 12n])).toBe('{1,-42,7,12}');
    expect(arrayParam(['d:X1:USA', 'a b', '', 'NULL', 'x"y\\z', '{,}', null])).toBe(
      '{d:X1:USA,"a b","","NULL","x\\"y\\\\z","{,}",NULL}',
    );
    expect(arrayParam([])).toBe('{}');
  });

  it('reads back as the same elements in PostgreSQL', async () => {
    const db = await openDatabase({ ephemeral: true });
    try {
      const texts = ['d:X1:USA', 'a b', '', 'NULL', 'null', 'x"y\\z', '{,}', 'é\tü', null];
      const [t] = await db.session((s) =>
        s.query<{ a: (string | null)[] }>('select $1::text[] as a', [arrayParam(texts)]),
      );
      expect(t!.a).toEqual(texts);
      const [b] = await db.session((s) =>
        s.query<{ a: string[] }>('select array(select x::text from unnest($1::bigint[]) x) as a', [
          arrayParam(['9223372036854775807', '-1', 0]),
        ]),
      );
      expect(b!.a).toEqual(['9223372036854775807', '-1', '0']);
    } finally {
      await db.close();
    }
  });
});
