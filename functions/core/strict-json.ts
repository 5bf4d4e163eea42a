// JSON.parse silently keeps the last of duplicate members, which lets two parsers disagree about a token's
// claims; this small RFC 8259 parser refuses duplicates, deep nesting and lone surrogates instead, and reads
// a number it could not give back as sent as NaN, so that nothing downstream keeps it rewritten.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

class Invalid extends Error {}

/**
 * True for a number JSON carries exactly (API.md v1.1): finite, and within ±(2^53 − 1), beyond which
 * doubles no longer hold every integer (9007199254740993 already reads as ...992). The rule for values
 * parsed by someone else (a direct invocation's event); the parser below also checks the digits.
 *
 * @example
 * isExactJsonNumber(0.1); // true
 * isExactJsonNumber(2 ** 53); // false
 */
export function isExactJsonNumber(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

const NUMERAL = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;
const SMALL_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;

/** A numeral as sign, significant digits and exponent, so `1.0`, `1e0`, `10e-1` and `1` read alike. */
function canonicalNumeral(numeral: string): string {
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = NUMERAL.exec(numeral) ?? [];
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0'; // every zero, -0 included, is the number 0
  const significant = digits.replace(/0+$/, '');
  const scale = BigInt(exponent) - BigInt(fraction.length) + BigInt(digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
}

/**
 * The value of a number token, or NaN when writing that value back would give another number: not finite
 * (`1e309`), an integer beyond ±(2^53 − 1), or more digits than a double holds (`0.12345678901234567890`,
 * `1e-400`). JSON has no NaN, so it stands for nothing a caller sent, and isExactJsonNumber refuses it.
 */
function numberOf(numeral: string): number {
  const value = Number(numeral);
  if (SMALL_INTEGER.test(numeral)) return value; // at most 15 digits: always exact, the common case
  const exact = isExactJsonNumber(value) && canonicalNumeral(numeral) === canonicalNumeral(String(value));
  return exact ? value : Number.NaN;
}

/** `.name`, or `["a name"]` when it is not a plain identifier, for naming where a value sits. */
function memberPath(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/**
 * Where the first number that isExactJsonNumber refuses sits in `value`, as a path from `root`
 * (`metadata.scores[2]`), or undefined when there is none. NaN from the parser is refused too.
 *
 * @example
 * inexactNumberPath({ a: [1, 2 ** 53] }, 'metadata'); // 'metadata.a[1]'
 */
export function inexactNumberPath(value: unknown, root: string): string | undefined {
  // A stack rather than recursion: a directly invoked event never went through the parser's depth limit.
  const pending: [unknown, string][] = [[value, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, path] = next;
    if (typeof item === 'number' && !isExactJsonNumber(item)) return path;
    if (typeof item !== 'object' || item === null) continue;
    const members: [unknown, string][] = Array.isArray(item)
      ? item.map((member, i) => [member, `${path}[${i}]`])
      : Object.entries(item).map(([name, member]) => [member, `${path}${memberPath(name)}`]);
    for (let i = members.length - 1; i >= 0; i--) pending.push(members[i] as [unknown, string]);
  }
  return undefined;
}

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
    return numberOf(match[0]);
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
 * than `maxDepth`, or a lone surrogate, escaped or raw. A number that would not come back as written is
 * read as NaN (see numberOf), for the caller to refuse where it knows which member it is.
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
