// JSON.parse silently keeps the last of duplicate members, which lets two parsers disagree about a token's
// claims; this small RFC 8259 parser refuses duplicates, deep nesting and lone surrogates instead.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

class Invalid extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  #at = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  document(): JsonValue {
    const value = this.#value(0);
    this.#space();
    if (this.#at !== this.text.length) throw new Invalid();
    return value;
  }

  #space(): void {
    while (this.#at < this.text.length) {
      const c = this.text.charCodeAt(this.#at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.#at++;
    }
  }

  #expect(literal: string): void {
    if (!this.text.startsWith(literal, this.#at)) throw new Invalid();
    this.#at += literal.length;
  }

  #literal<T extends JsonValue>(text: string, value: T): T {
    this.#expect(text);
    return value;
  }

  /** Consumes `close` when it comes next (an empty object or array). */
  #closes(close: string): boolean {
    this.#space();
    if (this.text[this.#at] !== close) return false;
    this.#at++;
    return true;
  }

  #value(depth: number): JsonValue {
    if (depth > this.maxDepth) throw new Invalid();
    this.#space();
    const c = this.text[this.#at];
    if (c === '{') return this.#object(depth);
    if (c === '[') return this.#array(depth);
    if (c === '"') return this.#string();
    if (c === 't') return this.#literal('true', true);
    if (c === 'f') return this.#literal('false', false);
    if (c === 'n') return this.#literal('null', null);
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.text);
    if (match === null) throw new Invalid();
    this.#at += match[0].length;
    return Number(match[0]);
  }

  #object(depth: number): JsonObject {
    this.#at++;
    const object: JsonObject = {};
    if (this.#closes('}')) return object;
    for (;;) {
      this.#space();
      if (this.text[this.#at] !== '"') throw new Invalid();
      const name = this.#string();
      if (Object.hasOwn(object, name)) throw new Invalid();
      this.#space();
      this.#expect(':');
      // defineProperty, so "__proto__" is an ordinary member and never a prototype.
      Object.defineProperty(object, name, {
        value: this.#value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.#space();
      const next = this.text[this.#at++];
      if (next === '}') return object;
      if (next !== ',') throw new Invalid();
    }
  }

  #array(depth: number): JsonValue[] {
    this.#at++;
    const array: JsonValue[] = [];
    if (this.#closes(']')) return array;
    for (;;) {
      array.push(this.#value(depth + 1));
      this.#space();
      const next = this.text[this.#at++];
      if (next === ']') return array;
      if (next !== ',') throw new Invalid();
    }
  }

  #string(): string {
    this.#at++;
    let out = '';
    for (;;) {
      const c = this.text[this.#at++];
      if (c === undefined) throw new Invalid();
      if (c === '"') return out;
      const code = c.charCodeAt(0);
      if (code < 0x20) throw new Invalid();
      if (code >= 0xd800 && code <= 0xdfff) {
        // A raw surrogate (a string decoded by something more lenient than UTF-8) must be a whole pair too.
        const low = this.text.charCodeAt(this.#at);
        if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw new Invalid();
        out += this.text.slice(this.#at - 1, ++this.#at);
        continue;
      }
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.#at++] ?? '';
      if (e !== 'u') {
        const plain = ESCAPES[e];
        if (plain === undefined) throw new Invalid();
        out += plain;
        continue;
      }
      const unit = this.#hex4();
      if (unit >= 0xdc00 && unit <= 0xdfff) throw new Invalid();
      if (unit >= 0xd800 && unit <= 0xdbff) {
        this.#expect('\\u');
        const low = this.#hex4();
        if (low < 0xdc00 || low > 0xdfff) throw new Invalid();
        out += String.fromCharCode(unit, low);
      } else {
        out += String.fromCharCode(unit);
      }
    }
  }

  #hex4(): number {
    const digits = this.text.slice(this.#at, this.#at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new Invalid();
    this.#at += 4;
    return Number.parseInt(digits, 16);
  }
}

/**
 * Parses RFC 8259 JSON; undefined (never a throw) for invalid JSON, a member name twice, nesting deeper
 * than `maxDepth`, or a lone surrogate, escaped or raw.
 *
 * @example
 * parseStrictJson('{"a":1,"a":2}'); // undefined
 */
export function parseStrictJson(text: string, maxDepth = 32): JsonValue | undefined {
  try {
    return new Parser(text, maxDepth).document();
  } catch (err) {
    if (err instanceof Invalid) return undefined;
    throw err;
  }
}

/**
 * parseStrictJson, then undefined unless the result is an object.
 *
 * @example
 * parseStrictJsonObject('[1]'); // undefined
 */
export function parseStrictJsonObject(text: string, maxDepth?: number): JsonObject | undefined {
  const value = parseStrictJson(text, maxDepth);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}
