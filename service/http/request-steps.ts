import type { Request, RequestHandler, Response } from 'express';

/**
 * Something every request goes through before it is routed, and which never waits: it sets headers or request
 * state, or throws an HttpError to answer at once (the error handler writes it).
 */
export type RequestStep = (req: Request, res: Response) => void;

/**
 * The steps, in order, as one middleware. Each middleware is a layer that express's router matches and calls
 * through `next` for every request; the steps that apply to all of them need not pay that once each.
 */
export function everyRequest(steps: readonly RequestStep[]): RequestHandler {
  return (req, res, next) => {
    // A step that throws: express passes the error to the error handler.
    for (const step of steps) step(req, res);
    next();
  };
}
