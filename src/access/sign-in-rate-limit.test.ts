import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { countSignInAttempt, SIGN_IN_RATE } from './sign-in-rate-limit.js';

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
});
afterAll(async () => {
  await db.close();
});

describe('sign-in rate limit per client address', () => {
  it('allows 20 attempts a minute, refuses the next until the minute is over', async () => {
    const start = new Date('2026-04-01T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let i = 0; i < SIGN_IN_RATE.attempts; i++)
      expect(await countSignInAttempt(db, '203.0.113.7', at(i))).toBeNull();
    expect(await countSignInAttempt(db, '203.0.113.7', at(45))).toBe(15);
    // Another address has its own allowance.
    expect(await countSignInAttempt(db, '198.51.100.1', at(45))).toBeNull();
    // A new window starts once the first one is over.
    expect(await countSignInAttempt(db, '203.0.113.7', at(60))).toBeNull();
  });
});
