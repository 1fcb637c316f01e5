/**
 * The Issue page's baked badges (docs/console.md "Issue"): `POST /console/bake` takes one signed credential, its
 * notarisation receipt and the level to draw, and answers the PNG badge with both baked in (service/baking, as
 * `badge-notary bake` does without --image: the plain badge showing the level). It sees what the notary already
 * holds, a signed credential and its public receipt, never the earner's name or e-mail, and keeps nothing.
 */
import express, { type Express, type RequestHandler } from 'express';
import { BakeInputError, BakingError, bakePng, demoBadgePng } from '../baking';

/** Enough for a credential with its receipt; the page bakes one badge a request. */
const BAKE_BODY_LIMIT = '512kb';
const LABEL = /^[A-Za-z0-9 -]{1,24}$/;

export function mountBadgeBaking(app: Express, headers: RequestHandler): void {
  app.post('/console/bake', headers, express.json({ limit: BAKE_BODY_LIMIT }), (req, res) => {
    const body = req.body as { credential?: unknown; receipt?: unknown; label?: unknown } | undefined;
    const refuse = (field: string, message: string) => res.status(400).json({ error: { code: 'bad-request', message, field } });
    if (typeof body !== 'object' || body === null) return refuse('body', 'the body must be a JSON object { credential, receipt, label }');
    if (typeof body.credential !== 'string' && (typeof body.credential !== 'object' || body.credential === null)) {
      return refuse('credential', 'credential must be the signed credential: a compact JWS or a JSON object');
    }
    if (typeof body.receipt !== 'object' || body.receipt === null) return refuse('receipt', 'receipt must be the credential’s notarisation receipt (JSON)');
    if (typeof body.label !== 'string' || !LABEL.test(body.label)) return refuse('label', 'label must be 1 to 24 letters, digits, spaces or dashes: the level to draw');
    let png: Buffer;
    try {
      png = bakePng({ image: demoBadgePng({ label: body.label }), credential: body.credential as string | object, receipt: body.receipt as never });
    } catch (error) {
      if (error instanceof BakingError) return refuse(faultyField(error), error.message);
      throw error;
    }
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('Cache-Control', 'no-store');
    res.send(png);
  });
}

/** The request field a baking error is about: the one a BakeInputError names (the image is the route's own), else by its kind. */
function faultyField(error: BakingError): 'credential' | 'receipt' {
  if (error instanceof BakeInputError && error.field !== 'image') return error.field;
  return error.code === 'INVALID_RECEIPT' ? 'receipt' : 'credential';
}
