// The strict JSON parser behind token headers, payloads and request bodies: RFC 8259 only, and none of the
// leniencies (duplicate names, deep nesting, lone surrogates) that let two parsers read one text differently.
import { describe, expect, it } from 'vitest';
import { parseStrictJson, parseStrictJsonObject } from '../../../functions/core/strict-json.ts';

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
