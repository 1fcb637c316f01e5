/**
 * Badge baking: an Open Badges credential (OB 3.0 JSON or VC-JWT, OB 2.0 signed or hosted assertion) and its
 * notarisation receipt, baked into a PNG or SVG badge image and read back. docs/baking.md describes the layout,
 * with the specification sections it follows, and every choice made where the specifications leave one.
 */
export { bakePng, bakeSvg, unbake, type BakePngParameters, type BakeSvgParameters, type UnbakedBadge } from './bake';
export type { BadgeVersion, BakeableCredential } from './credential';
export { PNG_OB2_KEYWORD, PNG_OB3_KEYWORD, PNG_RECEIPT_KEYWORD, PNG_SIGNATURE } from './png';
export { SVG_OB2_NAMESPACE, SVG_OB3_NAMESPACE, SVG_RECEIPT_NAMESPACE } from './svg';
export { crc32 } from './crc32.mjs';
export { LEVEL_COLORS, demoBadgePng, demoBadgeSvg, type DemoBadgeImageOptions } from './demo-image';
export * from './errors';
