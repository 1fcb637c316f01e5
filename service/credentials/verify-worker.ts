/**
 * The worker thread of the verifier pool (pool.ts): verifies batches of credentials with verifyCredential and
 * answers with results whose errors are in JSON form (errors.ts rebuilds them as typed errors).
 */
import { parentPort } from 'node:worker_threads';
import { errorToJSON, messageOf, UnexpectedError, type CredentialErrorJSON } from './errors';
import type { CredentialInput } from './types';
import { verifyCredential, type CredentialStep, type VerifyCredentialResult } from './verify';

/** One batch sent to a worker. */
export interface WorkerRequest {
  id: number;
  credentials: CredentialInput[];
  now: number;
  maxClockSkew?: number | undefined;
  allowedKeyHashes?: readonly string[] | undefined;
  includeCredential: boolean;
}

export type SerializedCheck = Omit<CredentialStep, 'error'> & { error?: CredentialErrorJSON | undefined };
export type SerializedResult = Omit<VerifyCredentialResult, 'error' | 'checks'> & {
  checks: SerializedCheck[];
  error?: CredentialErrorJSON | undefined;
};

/** A worker's answer: one result per credential, in order. */
export interface WorkerResponse {
  id: number;
  results: SerializedResult[];
}

/** A result in the form that crosses threads. */
export function serializeResult(result: VerifyCredentialResult, includeCredential: boolean): SerializedResult {
  const { error, checks, credential, ...rest } = result;
  return {
    ...rest,
    ...(includeCredential && credential ? { credential } : {}),
    checks: checks.map(({ error: checkError, ...check }) => ({ ...check, ...(checkError ? { error: errorToJSON(checkError) } : {}) })),
    ...(error ? { error: errorToJSON(error) } : {}),
  };
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  const now = new Date(request.now);
  // all of a batch at once: jose's WebCrypto calls yield, so the thread overlaps them
  const results = await Promise.all(
    request.credentials.map(async (credential) =>
      serializeResult(
        await verifyCredential({ credential, now, maxClockSkew: request.maxClockSkew, allowedKeyHashes: request.allowedKeyHashes }),
        request.includeCredential,
      ),
    ),
  );
  return { id: request.id, results };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: WorkerRequest) => {
    void handle(request)
      .catch((error: unknown) => {
        // verifyCredential does not throw; this guards the serialisation, so the pool never waits forever
        const failure = new UnexpectedError({ during: 'pooled verification', message: messageOf(error) });
        const result: VerifyCredentialResult = {
          verified: false,
          checks: [{ name: 'format', status: 'failed', message: failure.shortMessage, error: failure }],
          error: failure,
        };
        return { id: request.id, results: request.credentials.map(() => serializeResult(result, false)) };
      })
      .then((response) => port.postMessage(response));
  });
  port.postMessage({ ready: true });
}
