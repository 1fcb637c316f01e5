/** The error answers: `{ "error": { "code", "message", "field"?, ... } }` (service/http/errors.ts HttpError.body). */
import { z } from 'zod';
import { integer, named } from './catalog';

/** Open: some errors add facts beside code, message and field (a revocation request, a storage fault's reason). */
export const ErrorDetail = named(
  'ErrorDetail',
  z.looseObject({
    code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).meta({ description: 'Lower-case kebab, stable.' }),
    message: z.string(),
    field: z.string().optional().meta({ description: 'The input field at fault: body, credentials[3], reason, Content-Type, ...' }),
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
