// derToJose over thousands of real P-256 DER signatures (short and zero-padded r and s included) and over
// hand-made edge cases and malformed input.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { derToJose } from '../../../functions/adapters/ecdsa-der.ts';

const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/** A DER signature from two big-endian integers, each encoded minimally as DER requires. */
function der(r: Uint8Array, s: Uint8Array): Uint8Array {
  const integer = (value: Uint8Array) => {
    let v = Buffer.from(value);
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if ((v[0] ?? 0) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

describe('derToJose', () => {
  it('turns thousands of real DER signatures into 64-byte r‖s that verify, short r and s included', () => {
    const secretKey = p256.utils.randomSecretKey();
    const publicKey = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, p256.getPublicKey(secretKey, false)]),
      format: 'der',
      type: 'spki',
    });
    let shortR = 0;
    let shortS = 0;
    for (let i = 0; i < 2000; i++) {
      const message = Buffer.from(`header.payload-${i}`);
      const digest = createHash('sha256').update(message).digest();
      const signature = p256.sign(digest, secretKey, { prehash: false, format: 'der', lowS: false });
      const rLength = signature[3] ?? 0;
      const sLength = signature[4 + rLength + 1] ?? 0;
      if (rLength < 32) shortR++;
      if (sLength < 32) shortS++;

      const jose = derToJose(signature);

      expect(jose.length).toBe(64);
      expect(Buffer.from(jose)).toEqual(
        Buffer.from(p256.Signature.fromBytes(signature, 'der').toBytes('compact')),
      );
      if (i % 20 === 0 || rLength < 32 || sLength < 32) {
        expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
      }
    }
    // About 1 in 128 signatures has an r or s with a leading zero byte: 2000 of them always hold some.
    expect(shortR + shortS).toBeGreaterThan(0);
  });

  it('left-pads integers that DER shortened, and drops the sign byte of high ones', () => {
    const r = new Uint8Array(32);
    r[31] = 1; // r = 1: one byte in DER
    const s = new Uint8Array(32).fill(0xff); // high bit set: 33 bytes in DER
    const input = der(r, s);
    expect(input[3]).toBe(1);
    expect(Buffer.from(derToJose(input))).toEqual(Buffer.concat([r, s]));
  });

  it('refuses malformed DER with a clear message', () => {
    const good = der(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    const cases: Uint8Array[] = [
      new Uint8Array(),
      Uint8Array.of(0x31, ...good.subarray(1)), // not a SEQUENCE
      good.subarray(0, good.length - 1), // truncated
      Uint8Array.of(...good, 0), // trailing byte (length disagrees)
      der(new Uint8Array(34).fill(1), new Uint8Array(32)), // r too large
    ];
    for (const input of cases) expect(() => derToJose(input)).toThrow(/malformed ECDSA signature/);
  });
});
