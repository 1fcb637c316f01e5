import type { Request, RequestHandler, Response } from 'express';

/**
 * Something every request goes through before it is routed: it sets headers or request state, or throws an
 * HttpError to answer at once (the error handler writes it). A step that must wait for something (the store)
 * returns a promise, and the steps after it run when it settles; one that rejects answers with its error.
 */
export type RequestStep = (req: Request, res: Response) => void | Promise<void>;

/**
 * The steps, in order, as one middleware. Each middleware is a layer that express's router matches and calls
 * through `next` for every request; the steps that apply to all of them need not pay that once each.
 */
export function everyRequest(steps: readonly RequestStep[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    // Synchronous as long as no step waits, so the common request pays no promise.
    const proceed = (): void => {
      try {
        while (index < steps.length) {
          const waiting = steps[index++]!(req, res);
          if (waiting) {
            waiting.then(proceed, next);
            return;
          }
        }
      } catch (error) {
        next(error);
        return;
      }
      next();
    };
    proceed();
  };
}
