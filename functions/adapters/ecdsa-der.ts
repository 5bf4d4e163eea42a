// KMS answers ECDSA signatures as DER (SEQUENCE { INTEGER r, INTEGER s }); JOSE wants the fixed 64-byte
// r‖s. DER integers are minimal and signed: r or s may carry a leading 0x00 (high bit set) or be shorter
// than 32 bytes (leading zero bytes dropped), so each is stripped and left-padded to exactly 32 bytes.

const COORDINATE_BYTES = 32;

function malformed(why: string): Error {
  return new Error(`KMS answered a malformed ECDSA signature: ${why}`);
}

/**
 * Converts a DER ECDSA P-256 signature to the 64-byte IEEE P1363 form (r‖s) ES256 uses.
 *
 * @example
 * const jose = derToJose(kmsAnswer.Signature); // Uint8Array(64)
 */
export function derToJose(der: Uint8Array): Uint8Array {
  let offset = 0;
  const byte = (): number => {
    const value = der[offset++];
    if (value === undefined) throw malformed('it is truncated');
    return value;
  };
  if (byte() !== 0x30) throw malformed('no SEQUENCE');
  let length = byte();
  if (length === 0x81) length = byte();
  else if (length > 0x80) throw malformed('a SEQUENCE length this long cannot hold two P-256 integers');
  if (length !== der.length - offset) throw malformed('the SEQUENCE length disagrees with the data');

  const jose = new Uint8Array(2 * COORDINATE_BYTES);
  for (const slot of [0, 1]) {
    if (byte() !== 0x02) throw malformed('no INTEGER');
    const size = byte();
    if (size < 1 || size > COORDINATE_BYTES + 1) throw malformed(`an INTEGER of ${size} bytes`);
    let value = der.subarray(offset, offset + size);
    if (value.length !== size) throw malformed('it is truncated');
    offset += size;
    while (value.length > 0 && value[0] === 0) value = value.subarray(1);
    if (value.length > COORDINATE_BYTES) throw malformed('an INTEGER larger than the curve order');
    jose.set(value, slot * COORDINATE_BYTES + COORDINATE_BYTES - value.length);
  }
  if (offset !== der.length) throw malformed('trailing bytes');
  return jose;
}
