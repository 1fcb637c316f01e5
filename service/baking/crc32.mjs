/**
 * CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected, initial value and final XOR
 * 0xFFFFFFFF): PNG specification, "CRC algorithm". Computed over a chunk's type and data, not its length. ZIP uses the
 * same CRC. Plain JavaScript with no imports, so that baking (png.ts) and the web console's ZIP writer (served to the
 * browser as /console/crc32.mjs) use this one file.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of the bytes, as an unsigned 32-bit number. Several parts are read as one run of bytes.
 * @param {...Uint8Array} parts
 * @returns {number}
 */
export function crc32(...parts) {
  let crc = 0xffffffff;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
