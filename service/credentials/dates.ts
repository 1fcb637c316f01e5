/**
 * Date-times in credentials and the validity window against a clock passed in.
 * A credential date must be an XML Schema dateTimeStamp: `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`, with its zone.
 */
import { ExpiredError, NotYetValidError } from './errors';

const DATE_TIME_STAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** True for a dateTimeStamp that also names a real instant. */
export function isDateTimeStamp(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME_STAMP.test(value) && !Number.isNaN(Date.parse(value));
}

/** An instant as the dateTimeStamp written into credentials: UTC, whole seconds, `Z`. */
export function toDateTimeStamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A credential's validity window: where it starts and ends, and under which field names. */
export interface ValidityWindow {
  /** The start, e.g. validFrom (VC 2.0), issuanceDate (VC 1.1), issuedOn (OB 2.0). */
  validFrom?: string | undefined;
  validFromField?: string | undefined;
  /** The end, e.g. validUntil (VC 2.0), expirationDate (VC 1.1), expires (OB 2.0). Absent: no end. */
  validUntil?: string | undefined;
  validUntilField?: string | undefined;
}

export interface CheckValidityParameters {
  window: ValidityWindow;
  now: Date;
  /** Seconds of clock difference tolerated at both ends (as @digitalbazaar/vc, default 300). */
  maxClockSkew?: number | undefined;
}

/**
 * Throws NotYetValidError when the window starts after `now` (beyond the skew), ExpiredError when it ended before.
 * Dates that do not parse are the schema check's business, not this one's: they are skipped here.
 */
export function checkValidity({ window, now, maxClockSkew = 300 }: CheckValidityParameters): void {
  const skewMs = maxClockSkew * 1000;
  const nowMs = now.getTime();
  const nowText = now.toISOString();
  if (window.validFrom !== undefined) {
    const from = Date.parse(window.validFrom);
    if (!Number.isNaN(from) && from - nowMs > skewMs) {
      throw new NotYetValidError({ field: window.validFromField ?? 'validFrom', value: window.validFrom, now: nowText });
    }
  }
  if (window.validUntil !== undefined) {
    const until = Date.parse(window.validUntil);
    if (!Number.isNaN(until) && nowMs - until > skewMs) {
      throw new ExpiredError({ field: window.validUntilField ?? 'validUntil', value: window.validUntil, now: nowText });
    }
  }
}
