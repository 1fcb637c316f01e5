/**
 * Types for png-chunks-extract and png-chunks-encode 1.0.0, which ship none. The shapes follow their sources
 * (node_modules/png-chunks-extract/index.js and node_modules/png-chunks-encode/index.js): a chunk is its four-letter name and its data, without length or CRC.
 */

declare module 'png-chunks-extract' {
  /** One chunk: `name` is the chunk type ("IHDR", "iTXt"...), `data` its data bytes. */
  interface PngChunk {
    name: string;
    data: Uint8Array;
  }
  /**
   * The chunks of a PNG, up to and including IEND. Throws an Error for a wrong signature, a first chunk that is not
   * IHDR, a CRC that does not match (IEND's CRC is not checked) or a missing IEND.
   */
  function extractChunks(data: Uint8Array): PngChunk[];
  export = extractChunks;
}

declare module 'png-chunks-encode' {
  /** The PNG of these chunks: the signature, then each chunk with its length and a CRC it computes. */
  function encodeChunks(chunks: readonly { name: string; data: Uint8Array }[]): Uint8Array;
  export = encodeChunks;
}
