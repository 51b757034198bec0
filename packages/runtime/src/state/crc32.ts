import zlib from 'node:zlib';

/**
 * CRC-32 (the zlib / ISO-HDLC polynomial) of `data`, continuing from `initial`
 * (the CRC of the bytes before). Uses `zlib.crc32` (hardware-assisted, Node
 * ≥ 20.15) and falls back to a table-driven JavaScript version on older Node.
 */
export const crc32: (data: Uint8Array, initial?: number) => number =
  typeof zlib.crc32 === 'function' ? (data, initial = 0) => zlib.crc32(data, initial) : crc32Js;

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
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}
