// Identifier rules of API.md and the ids and secrets the service makes itself.
import { describe, expect, it } from 'vitest';
import {
  assertEcosystemId,
  assertUserId,
  characterCount,
  isValidId,
  newId,
  newSecret,
  newTimeOrderedId,
} from '../../../functions/core/ids.ts';

describe('isValidId', () => {
  it.each([['a'], ['Z'], ['7'], ['alice'], ['a.b_c-d@e:f+g'], ['user@example.com'], ['x'.repeat(128)]])(
    'accepts %s',
    (id) => {
      expect(isValidId(id)).toBe(true);
    },
  );

  it.each([
    ['an empty string', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a leading dot', '.a'],
    ['a leading underscore', '_a'],
    ['a leading dash', '-a'],
    ['a leading at sign', '@a'],
    ['a leading colon', ':a'],
    ['a leading plus', '+a'],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a semicolon', 'a;b'],
    ['a hash', 'a#b'],
    ['a non-ASCII letter', 'zoë'],
    ['a trailing newline', 'a\n'],
    ['a percent-encoded character', 'a%20b'],
  ])('refuses %s', (_, id) => {
    expect(isValidId(id)).toBe(false);
  });

  it.each([[undefined], [null], [42], [['a']]])('refuses the non-string %j', (id) => {
    expect(isValidId(id)).toBe(false);
  });
});

describe('assertEcosystemId and assertUserId', () => {
  it('answer a valid id unchanged', () => {
    expect(assertEcosystemId('eco1')).toBe('eco1');
    expect(assertUserId('alice@example.com')).toBe('alice@example.com');
  });

  it('refuse an invalid id with the code of its kind', () => {
    expect(() => assertEcosystemId('bad id')).toThrow(expect.objectContaining({ code: 'ECOSYSTEM_INVALID' }));
    expect(() => assertUserId('')).toThrow(expect.objectContaining({ code: 'USER_INVALID' }));
  });
});

describe('characterCount', () => {
  it('counts code points, not UTF-16 units: an emoji or a CJK extension B character is one', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('abc')).toBe(3);
    expect(characterCount('😀'.repeat(150))).toBe(150);
    expect(characterCount('𠀋é')).toBe(2);
  });
});

describe('newId', () => {
  it('makes lowercase hex ids that are valid ecosystem and user ids, free of dots', () => {
    const ids = Array.from({ length: 200 }, () => newId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{20}$/);
      expect(isValidId(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(16)).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('newTimeOrderedId', () => {
  it('sorts ids of later milliseconds after earlier ones, whatever their random part', () => {
    const start = 1_800_000_000_000;
    const ids = Array.from({ length: 50 }, (_, i) => newTimeOrderedId(start + i));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(isValidId(id)).toBe(true);
    }
    expect(newTimeOrderedId(start)).not.toBe(newTimeOrderedId(start));
  });
});

describe('newSecret', () => {
  it('makes 256-bit base64url secrets, each different', () => {
    const secrets = Array.from({ length: 100 }, () => newSecret());
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});
