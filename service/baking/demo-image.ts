/**
 * Demo badge images made in code, so the demo and the tests need no image files: a coloured disc with a ring and the
 * level's name, as a PNG (8-bit RGBA, drawn pixel by pixel with a 5x7 bitmap font) and as an SVG.
 */
import { deflateSync } from 'node:zlib';
import { encodeChunk, PNG_SIGNATURE } from './png';

export interface DemoBadgeImageOptions {
  /** The text on the badge, e.g. a level name: "Gold". Letters, digits, spaces and dashes (others are drawn blank). */
  label: string;
  /** The disc colour as #rrggbb; default the level's colour when `label` is a level name, else a blue. */
  color?: string | undefined;
  /** Width and height in pixels; default 256 (from 32 to 2048). */
  size?: number | undefined;
}

/** The colours of the levels (docs/credentials.md "Levels"). */
export const LEVEL_COLORS: Readonly<Record<string, string>> = {
  Copper: '#b87333',
  Silver: '#a8a9ad',
  Gold: '#d4af37',
  Platinum: '#8e9aaf',
};
const DEFAULT_COLOR = '#2f6fb3';

/** A PNG of the demo badge. */
export function demoBadgePng(options: DemoBadgeImageOptions): Buffer {
  const { size, fill, ring, ink } = resolve(options);
  const rgba = Buffer.alloc(size * size * 4);
  const centre = size / 2;
  const outer = size * 0.47;
  const inner = size * 0.41;
  // Each pixel is sampled 4x4 times, so the edges are smooth.
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inDisc = 0;
      let inFace = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const dx = x + (sx + 0.5) / samples - centre;
          const dy = y + (sy + 0.5) / samples - centre;
          const distance = Math.hypot(dx, dy);
          if (distance <= outer) inDisc++;
          if (distance <= inner) inFace++;
        }
      }
      const total = samples * samples;
      const alpha = inDisc / total;
      const face = inDisc === 0 ? 0 : inFace / inDisc;
      const at = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[at + c] = Math.round(ring[c] + (fill[c] - ring[c]) * face);
      rgba[at + 3] = Math.round(alpha * 255);
    }
  }
  drawLabel(rgba, size, options.label.toUpperCase(), ink);
  return encodePng(size, size, rgba);
}

/** An SVG of the demo badge, UTF-8, with an XML declaration. */
export function demoBadgeSvg(options: DemoBadgeImageOptions): string {
  const { size, color } = resolve(options);
  const label = escapeText(options.label);
  const half = size / 2;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeText(`${options.label} badge`)}">`,
    `  <title>${label} badge</title>`,
    `  <circle cx="${half}" cy="${half}" r="${round(size * 0.47)}" fill="${shade(color, -0.35)}"/>`,
    `  <circle cx="${half}" cy="${half}" r="${round(size * 0.41)}" fill="${color}"/>`,
    `  <text x="${half}" y="${half}" font-family="Verdana, DejaVu Sans, sans-serif" font-size="${round(size * 0.14)}" font-weight="bold" fill="${inkFor(color)}" text-anchor="middle" dominant-baseline="central">${label}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function resolve(options: DemoBadgeImageOptions): { size: number; color: string; fill: number[]; ring: number[]; ink: number[] } {
  const size = options.size ?? 256;
  if (!Number.isInteger(size) || size < 32 || size > 2048) throw new RangeError(`size must be a whole number from 32 to 2048, got ${size}`);
  const color = (options.color ?? LEVEL_COLORS[options.label] ?? DEFAULT_COLOR).toLowerCase();
  if (!/^#[0-9a-f]{6}$/.test(color)) throw new RangeError(`color must be #rrggbb, got ${color}`);
  const fill = rgb(color);
  return { size, color, fill, ring: rgb(shade(color, -0.35)), ink: rgb(inkFor(color)) };
}

/** Draws `text` centred in the 5x7 font, scaled to fit about 70% of the width. */
function drawLabel(rgba: Buffer, size: number, text: string, ink: number[]): void {
  if (text.length === 0) return;
  const columns = text.length * 6 - 1;
  const scale = Math.max(1, Math.min(Math.floor((size * 0.7) / columns), Math.floor(size / 20)));
  const left = Math.round((size - columns * scale) / 2);
  const top = Math.round((size - 7 * scale) / 2);
  for (let i = 0; i < text.length; i++) {
    const glyph = FONT[text[i]] ?? FONT[' '];
    for (let row = 0; row < 7; row++) {
      for (let column = 0; column < 5; column++) {
        if (!((glyph[row] >> (4 - column)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const x = left + (i * 6 + column) * scale + dx;
            const y = top + row * scale + dy;
            if (x < 0 || x >= size || y < 0 || y >= size) continue;
            const at = (y * size + x) * 4;
            rgba[at] = ink[0];
            rgba[at + 1] = ink[1];
            rgba[at + 2] = ink[2];
            rgba[at + 3] = 255;
          }
        }
      }
    }
  }
}

/** A PNG of 8-bit RGBA pixels: IHDR, one IDAT (scanlines with filter type 0, zlib-deflated), IEND. */
function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  // compression 0, filter 0, interlace 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([
    PNG_SIGNATURE,
    encodeChunk('IHDR', header),
    encodeChunk('IDAT', deflateSync(raw, { level: 9 })),
    encodeChunk('IEND', Buffer.alloc(0)),
  ]);
}

function rgb(color: string): number[] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
}

/** The colour made darker (negative amount) or lighter (positive), as #rrggbb. */
function shade(color: string, amount: number): string {
  const parts = rgb(color).map((c) => Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount));
  return `#${parts.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Dark ink on light colours, white on dark ones (by relative luminance). */
function inkFor(color: string): string {
  const [r, g, b] = rgb(color).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.35 ? '#1b1f24' : '#ffffff';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A 5x7 bitmap font: each glyph is 7 rows of 5 bits, the leftmost column in the highest bit. */
const FONT: Readonly<Record<string, readonly number[]>> = {
  ' ': [0, 0, 0, 0, 0, 0, 0],
  '-': [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000],
  A: [0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
  B: [0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110],
  C: [0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110],
  D: [0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110],
  E: [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111],
  F: [0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000],
  G: [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111],
  H: [0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001],
  I: [0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  J: [0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100],
  K: [0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001],
  L: [0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111],
  M: [0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001],
  N: [0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001],
  O: [0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
  P: [0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000],
  Q: [0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101],
  R: [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001],
  S: [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110],
  T: [0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100],
  U: [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110],
  V: [0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100],
  W: [0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010],
  X: [0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001],
  Y: [0b10001, 0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100],
  Z: [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111],
  '0': [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
  '1': [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  '2': [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
  '3': [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
  '4': [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
  '5': [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
  '6': [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
  '7': [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
  '8': [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
  '9': [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
};
