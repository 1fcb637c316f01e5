/** Milliseconds since the epoch. Passed in, so that tests decide what time it is. */
export type Clock = () => number;
