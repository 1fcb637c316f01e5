import type { IntakeRequest } from '../notary';
import { HttpError, badRequest } from './errors';

/**
 * Reads an intake body. JSON: `{"credentials": [...]}` (bulk), `{"credential": X}`, a bare JSON credential
 * (an object with "@context"), a JSON array (bulk) or a JSON string (a compact JWS). Text: one compact JWS.
 * X is a compact JWS string or a JSON credential object.
 */
export function readIntakeBody(body: unknown, maxBulk: number): IntakeRequest {
  if (body === undefined || body === null || body === '' || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
    throw badRequest('the body is empty: send a credential, {"credential": ...} or {"credentials": [...]}', 'body', 'missing-body');
  }
  if (typeof body === 'string') return single(body, 'body');
  if (Array.isArray(body)) return bulk(body, '', maxBulk);
  if (typeof body !== 'object') throw badRequest(`the body must be a credential or an object holding some, not a ${typeof body}`, 'body');
  const object = body as Record<string, unknown>;
  if ('@context' in object) return single(object, 'body');
  if ('credentials' in object) {
    if (!Array.isArray(object.credentials)) throw badRequest('"credentials" must be an array of credentials', 'credentials');
    const extra = Object.keys(object).find((name) => name !== 'credentials');
    if (extra) throw badRequest(`unexpected field "${extra}" beside "credentials"`, extra);
    return bulk(object.credentials, 'credentials', maxBulk);
  }
  if ('credential' in object) {
    const extra = Object.keys(object).find((name) => name !== 'credential');
    if (extra) throw badRequest(`unexpected field "${extra}" beside "credential"`, extra);
    return single(object.credential, 'credential');
  }
  throw badRequest('expected {"credential": ...}, {"credentials": [...]}, or a credential itself (a JSON object with "@context")', 'body');
}

function single(item: unknown, field: string): IntakeRequest {
  return { items: [item], bulk: false, fieldOf: () => field };
}

function bulk(items: unknown[], field: string, maxBulk: number): IntakeRequest {
  if (items.length === 0) throw badRequest('the bulk array is empty: send at least one credential', field || 'body', 'empty-bulk');
  if (items.length > maxBulk) {
    throw new HttpError(413, 'too-many-credentials', `${items.length} credentials in one request; at most ${maxBulk} are taken`, {
      field: field || 'body',
      maximum: maxBulk,
    });
  }
  return { items, bulk: true, fieldOf: (index) => `${field}[${index}]` };
}
