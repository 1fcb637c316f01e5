/** The error answers: `{ "error": { "code", "message", "field"?, ... } }` (service/http/errors.ts HttpError.body). */
import { z } from 'zod';
import { integer, named } from './catalog';

/**
 * Open: some codes add their own facts beside these: `items` (422, and 403 foreign-issuer), `revocation`
 * (409 registry-refused), `reason` (503 storage-unavailable).
 */
export const ErrorDetail = named(
  'ErrorDetail',
  z.looseObject({
    code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).meta({ description: 'Lower-case kebab, stable.' }),
    message: z.string(),
    field: z.string().optional().meta({ description: 'The input field at fault: body, credentials[3], reason, Content-Type, ...' }),
    details: z.string().optional().meta({ description: 'More about the failure, when the message leaves it out.' }),
    hint: z.string().optional().meta({ description: 'What the caller can do about it.' }),
  }),
);

export const ErrorAnswer = named('Error', z.strictObject({ error: ErrorDetail }));

/** One bad credential of a refused intake request. */
export const RejectedItem = z.strictObject({
  index: integer,
  field: z.string(),
  code: z.string(),
  message: z.string(),
  problems: z.array(z.unknown()).optional(),
});

export const RejectedCredentials = named(
  'RejectedCredentials',
  z.strictObject({ error: z.looseObject({ ...ErrorDetail.shape, items: z.array(RejectedItem) }) }),
);
