/**
 * The dashboard's calendar: UTC months (`YYYY-MM`) and days (`YYYY-MM-DD`), as lists a chart's axis and a
 * table's rows share. Pure.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The longest window of months one request may ask (ten years). */
export const MAX_MONTHS = 120;

/** `YYYY-MM` -> months since year 0 (a number that orders and subtracts); undefined when not a month. */
export function monthIndex(text: string): number | undefined {
  const match = MONTH.exec(text);
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : undefined;
}

export function monthOfIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The UTC month of a moment (ms). */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const first = monthIndex(from)!;
  const last = monthIndex(to)!;
  return Array.from({ length: last - first + 1 }, (_, offset) => monthOfIndex(first + offset));
}

/** The first moment of a month (unix seconds, UTC). */
export function monthStartSeconds(month: string): number {
  const index = monthIndex(month)!;
  return Date.UTC(Math.floor(index / 12), index % 12, 1) / 1000;
}

/** The first moment after a month (unix seconds, UTC). */
export function monthEndSeconds(month: string): number {
  return monthStartSeconds(monthOfIndex(monthIndex(month)! + 1));
}

/** The `count` UTC days that end with the day of `nowMs`, oldest first. */
export function daysEndingAt(nowMs: number, count: number): string[] {
  const today = Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), new Date(nowMs).getUTCDate());
  return Array.from({ length: count }, (_, offset) => new Date(today - (count - 1 - offset) * 86_400_000).toISOString().slice(0, 10));
}

/** The first moment of a day `YYYY-MM-DD` (ms, UTC). */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}
