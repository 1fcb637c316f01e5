/** The badge-class catalogue's domain: the class document, its id, its validation and its level scheme. */
export * from './badge-class';
export * from './errors';
export { parseBadgeClass } from './validate';
export { checkLevel, levelForScore } from './levels';
export type { BadgeClassRecord } from './records';
