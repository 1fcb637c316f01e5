import { expect } from 'chai';

/** Awaits `promise` and checks that it rejects with an `ErrorClass` whose message contains `message`; returns the error. */
export async function rejects<E extends Error>(promise: Promise<unknown>, ErrorClass: new (...args: never[]) => E, message?: string): Promise<E> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a rejection').to.be.instanceOf(ErrorClass);
  if (message !== undefined) expect((caught as Error).message).to.include(message);
  return caught as E;
}
