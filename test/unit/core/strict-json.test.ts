// The strict JSON parser behind token headers, payloads and request bodies: RFC 8259 only, and none of the
// leniencies (duplicate names, deep nesting, lone surrogates) that let two parsers read one text differently,
// and no number read as something other than what was written.
import { describe, expect, it } from 'vitest';
import {
  inexactNumberPath,
  isExactJsonNumber,
  parseStrictJson,
  parseStrictJsonObject,
} from '../../../functions/core/strict-json.ts';

describe('parseStrictJson', () => {
  it('reads the same values JSON.parse reads from valid JSON', () => {
    const text = ' {"a":[1,-2.5e3,0,true,false,null],"b":{"c":"x\\n\\u00e9\\ud83d\\ude00\\"\\\\\\/"},"":""} ';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it.each([['{"a":1,"a":2}'], ['{"a":1,"b":{"c":1,"c":1}}'], ['{"a":1,"\\u0061":2}'], ['[{"x":1,"x":1}]']])(
    'refuses a member name given twice: %s',
    (text) => {
      expect(parseStrictJson(text)).toBeUndefined();
    },
  );

  it('refuses a value inside more containers than maxDepth, and accepts one at the limit', () => {
    expect(parseStrictJson('{"a":{"b":1}}', 2)).toEqual({ a: { b: 1 } });
    expect(parseStrictJson('{"a":{"b":{"c":1}}}', 2)).toBeUndefined();
    expect(parseStrictJson(`${'['.repeat(32)}1${']'.repeat(32)}`)).toBeDefined();
    expect(parseStrictJson(`${'['.repeat(33)}1${']'.repeat(33)}`)).toBeUndefined();
  });

  it('stays on its feet, without a stack overflow, for absurd nesting', () => {
    expect(parseStrictJson('['.repeat(100_000))).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate escape', '"\\ud800"'],
    ['a lone low surrogate escape', '"\\udc00"'],
    ['a high surrogate escape followed by a letter', '"\\ud800x"'],
    ['two high surrogate escapes', '"\\ud800\\ud800"'],
    ['a reversed pair of escapes', '"\\ude00\\ud83d"'],
    ['a lone surrogate escape in a member name', '{"\\ud800":1}'],
    ['a raw lone high surrogate', '"\ud800"'],
    ['a raw lone low surrogate', '"x\udc00"'],
    ['a raw reversed pair', '"\ude00\ud83d"'],
  ])('refuses %s', (_, text) => {
    expect(parseStrictJson(text)).toBeUndefined();
  });

  it('accepts surrogate pairs, escaped or raw', () => {
    expect(parseStrictJson('"\\ud83d\\ude00"')).toBe('😀');
    expect(parseStrictJson('"😀"')).toBe('😀');
  });

  it('keeps "__proto__" as an ordinary member, never as the prototype', () => {
    const value = parseStrictJsonObject('{"__proto__":{"isAdmin":true},"nested":{"__proto__":[1]}}');
    expect(value).toBeDefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value ?? {}, '__proto__')).toBe(true);
    expect((value as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(value ?? {})).toEqual(['__proto__', 'nested']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses "__proto__" given twice, like any other name', () => {
    expect(parseStrictJson('{"__proto__":1,"__proto__":2}')).toBeUndefined();
  });

  it.each([['{}x'], ['{} {}'], ['1 2'], ['[1]]'], ['{"a":1}}'], ['"a"b'], ['null,']])(
    'refuses trailing garbage: %s',
    (text) => {
      expect(parseStrictJson(text)).toBeUndefined();
    },
  );

  it.each([
    [''],
    [' '],
    ['\ufeff{}'],
    ['{"a":1,}'],
    ['[1,]'],
    ['{a:1}'],
    ["{'a':1}"],
    ['{"a" 1}'],
    ['01'],
    ['1.'],
    ['.5'],
    ['+1'],
    ['-'],
    ['1e'],
    ['NaN'],
    ['Infinity'],
    ['tru'],
    ['nul'],
    ['"a\tb"'],
    ['"\\x41"'],
    ['"\\u12"'],
    ['"unterminated'],
  ])('refuses the invalid JSON %j', (text) => {
    expect(parseStrictJson(text)).toBeUndefined();
  });
});

describe('parseStrictJsonObject', () => {
  it.each([['[1]'], ['"s"'], ['null'], ['1']])('answers undefined for the non-object %s', (text) => {
    expect(parseStrictJsonObject(text)).toBeUndefined();
  });

  it('answers an object for an object', () => {
    expect(parseStrictJsonObject('{"a":[]}')).toEqual({ a: [] });
  });
});

describe('numbers that would not come back as written', () => {
  it.each([
    ['1e309', 'beyond the largest double'],
    ['-1e400', 'beyond the largest double, negative'],
    ['9007199254740992', '2^53, where doubles stop holding every integer'],
    ['9007199254740993', '2^53 + 1, which JSON.parse reads as 2^53'],
    ['-9007199254740993', '-(2^53 + 1)'],
    ['1'.repeat(100), 'a 100-digit integer'],
    ['1e20', 'an integer beyond 2^53 - 1 written with an exponent'],
    ['0.12345678901234567890', 'more significant digits than a double holds'],
    ['0.30000000000000001', 'a 17-digit decimal that reads as 0.3'],
    ['1e-400', 'below the smallest double'],
    ['4.9e-324', 'a subnormal that reads as 5e-324'],
  ])('reads %s (%s) as NaN', (numeral) => {
    expect(parseStrictJson(`{"n":[${numeral}]}`)).toEqual({ n: [Number.NaN] });
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['0.1', 0.1],
    ['1.0', 1],
    ['1.50', 1.5],
    ['1e2', 100],
    ['1E+2', 100],
    ['2.5e-3', 0.0025],
    ['1.5e-7', 1.5e-7],
    ['5e-324', 5e-324],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', -Number.MAX_SAFE_INTEGER],
    ['123456789012345', 123456789012345],
    ['0.1234567890123456', 0.1234567890123456],
  ])('reads %s, the same number written another way or as it is, as %d', (numeral, value) => {
    expect(parseStrictJson(numeral)).toBe(value);
  });
});

describe('isExactJsonNumber and inexactNumberPath', () => {
  it('refuse what a caller parsed already: infinities, NaN and integers beyond 2^53 - 1', () => {
    for (const value of [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      2 ** 53,
      -(2 ** 53),
      1e300,
    ]) {
      expect(isExactJsonNumber(value)).toBe(false);
    }
    for (const value of [0, 0.1, 1.5e-7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(isExactJsonNumber(value)).toBe(true);
    }
  });

  it('name the first such number by its path from the root, in document order', () => {
    const value = { plan: 'pro', scores: [1, 2, 2 ** 53], 'a b': { c: Number.NaN }, later: Infinity };
    expect(inexactNumberPath(value, 'metadata')).toBe('metadata.scores[2]');
    expect(inexactNumberPath({ 'a b': [{ c: Number.NaN }] }, 'claims')).toBe('claims["a b"][0].c');
    expect(inexactNumberPath({ plan: 'pro', n: [0.1, -7, null, true] }, 'metadata')).toBeUndefined();
  });

  it('walks nesting far deeper than the parser allows without overflowing the stack', () => {
    let deep: unknown = 2 ** 60;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inexactNumberPath(deep, 'claims')).toBe(`claims${'[0]'.repeat(100_000)}`);
  });
});
