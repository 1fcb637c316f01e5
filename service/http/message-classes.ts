import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

export type MessageClasses = Required<Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'>>;

/**
 * The request and response classes for a Node HTTP server that runs `app` (http.createServer's options): their
 * instances are born with the app's prototypes, so express's per-request prototype swap changes nothing.
 *
 * Why: express gives every request and response its prototypes on arrival (Object.setPrototypeOf in app.handle,
 * to app.request and app.response). In V8, an object whose prototype was changed gets a hidden class of its own
 * at the next property added to it, and express, its router, Node's http and the routes all add some. So every
 * request had new hidden classes, and every property read on req and res, everywhere, missed the inline caches
 * and walked the prototype chain, with the classes left for the garbage collector: about 40% of a receipt
 * lookup's CPU. expressjs/express#5998 describes the same cure.
 *
 * How: a class that extends Node's (a derived class, so that V8 sizes its instances for the properties Node's
 * constructor sets and keeps them in fast mode; a plain function calling Node's constructor on its `this` made
 * responses that were dictionaries from birth, each with a hidden class of its own whenever V8 flushed its cache
 * of them), whose prototype takes the place of the app's: the same own properties (express's `app`), the same
 * chain (express's request or response, then Node's), and app.request or app.response set to it. Works whether
 * Node's constructors are functions (Node 20) or ES classes. Call it once per app, before the app serves.
 */
export function expressMessageClasses(app: Express): MessageClasses {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  app.request = takeThePlaceOf(app.request, AppRequest.prototype);
  app.response = takeThePlaceOf(app.response, AppResponse.prototype);
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}

/** Gives `classPrototype` the chain and the own properties (but its own constructor) of `appPrototype`. */
function takeThePlaceOf<T extends object>(appPrototype: T, classPrototype: object): T {
  Object.setPrototypeOf(classPrototype, Object.getPrototypeOf(appPrototype));
  const { constructor: _ignored, ...properties } = Object.getOwnPropertyDescriptors(appPrototype);
  Object.defineProperties(classPrototype, properties);
  return classPrototype as T;
}
