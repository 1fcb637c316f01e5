/** Which of several service processes on one database seals and anchors: a lease with a fencing token (issue #13). */
export * from './lease';
export { Leadership, type LeadershipOptions } from './leadership';
