/** The CRC-32 (PNG, ZIP) of the bytes; several parts are read as one run of bytes. */
export function crc32(...parts: Uint8Array[]): number;
