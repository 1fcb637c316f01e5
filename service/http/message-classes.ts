import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

export type MessageClasses = Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'>;

/**
 * The request and response classes for a Node HTTP server that runs `app` (http.createServer's options): their
 * instances are born with the app's own prototypes, app.request and app.response.
 *
 * Why: express gives every request and response those prototypes on arrival (Object.setPrototypeOf in
 * app.handle). In V8, an object whose prototype was changed gets a hidden class of its own at the next property
 * added to it, and express, its router, Node's http and the routes all add some. So every request had new hidden
 * classes, and every property read on req and res, everywhere, missed the inline caches and walked the
 * prototype chain, with the classes left for the garbage collector: about 40% of a receipt lookup's CPU.
 * Born with the right prototypes, express's swap changes nothing (the prototype is already the one it sets), and
 * requests share their hidden classes. expressjs/express#5998 describes the same cure.
 *
 * On a Node whose IncomingMessage or ServerResponse became an ES class (they are constructor functions, which
 * can initialise an object made with another prototype), this gives no classes: Node's own, as before.
 */
export function expressMessageClasses(app: Express): MessageClasses {
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return {};
  function AppRequest(this: IncomingMessage, ...args: unknown[]): void {
    Reflect.apply(IncomingMessage, this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: unknown[]): void {
    Reflect.apply(ServerResponse, this, args);
  }
  AppResponse.prototype = app.response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  };
}

function isClass(constructor: unknown): boolean {
  return /^class\b/.test(Function.prototype.toString.call(constructor));
}
