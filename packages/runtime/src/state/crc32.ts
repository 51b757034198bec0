import zlib from 'node:zlib';

/**
 * CRC-32 (the zlib / ISO-HDLC polynomial) of `data`, continuing from `initial`
 * (the CRC of the bytes before). Uses `zlib.crc32` (hardware-assisted, Node
 * ≥ 20.15) and falls back to a table-driven JavaScript version on older Node.
 */
export const crc32: (data: Uint8Array, initial?: number) => number =
  typeof zlib.crc32 === 'function' ? (data, initial = 0) => zlib.crc32(data, initial) : crc32Js;

const POLYNOMIAL = 0xedb88320;

let table: Int32Array | undefined;

/** The portable implementation behind {@link crc32}; exported for tests. */
export function crc32Js(data: Uint8Array, initial = 0): number {
  const t = (table ??= makeTable());
  let c = ~initial;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * The CRC-32 of the concatenation A‖B from `crcA` = crc32(A), `crcB` = crc32(B)
 * and B's length, without reading any byte (zlib's `crc32_combine`). Lets a
 * writer checksum every byte once — per block — and still report the CRC of the
 * whole stream. Costs O(log lengthB) small multiplications.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (!(Number.isSafeInteger(lengthB) && lengthB >= 0)) throw new RangeError(`Invalid length ${lengthB}`);
  return (multiplyModP(xPow8nModP(lengthB), crcA >>> 0) ^ (crcB >>> 0)) >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31 (bit-reversed representation, as zlib). */
let powers: Uint32Array | undefined;

function powerTable(): Uint32Array {
  const t = new Uint32Array(32);
  let p = 1 << 30; // x^1
  t[0] = p;
  for (let k = 1; k < 32; k++) t[k] = p = multiplyModP(p, p);
  return t;
}

/** a × b modulo the polynomial, both in zlib's reflected representation. */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return p >>> 0;
}

/** x^(8·n) modulo the polynomial: the operator that appends n zero bytes. */
function xPow8nModP(n: number): number {
  const t = (powers ??= powerTable());
  let p = 0x80000000; // x^0
  let k = 3; // 8·n = n·2^3
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(t[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}
