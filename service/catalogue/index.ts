/** The badge-class catalogue's domain: the class document, its id, its validation and its level scheme. */
export * from './badge-class';
export * from './errors';
export { parseBadgeClass } from './validate';
export { checkLevel, levelForScore } from './levels';
export { checkClassClaims, classClaimsOf, type ClassClaimProblem, type ClassClaims } from './credential-claims';
export type { BadgeClassRecord } from './records';
