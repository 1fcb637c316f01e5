/**
 * A pool of worker threads that verify credentials, for bulk intake: verifyMany splits the credentials into
 * batches and keeps every worker busy; results come back in input order with their typed errors rebuilt.
 * A worker that dies fails its batches (UnexpectedError results) and is replaced.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorFromJSON, UnexpectedError } from './errors';
import type { CredentialInput } from './types';
import type { VerifyCredentialParameters, VerifyCredentialResult } from './verify';
import type { SerializedResult, WorkerRequest, WorkerResponse } from './verify-worker';

export interface VerifierPoolOptions {
  /** Worker threads; default the machine's available parallelism. */
  size?: number;
  /** Credentials per message to a worker; default 64. */
  batchSize?: number;
  /** Put the credential JSON in each result (costs a copy across threads); default false. */
  includeCredential?: boolean;
  /** Told of every batch of results a worker thread returns (ServiceMetrics.verifierPool counts them). */
  observer?: VerifierPoolObserver;
}

/** What the pool reports: the credentials its worker threads verified, so an operator sees that the checks run off the event loop. */
export interface VerifierPoolObserver {
  verifiedOnWorkers(credentials: number): void;
}

export interface VerifyManyParameters {
  credentials: readonly CredentialInput[];
  now: Date;
  maxClockSkew?: number | undefined;
  allowedKeyHashes?: readonly string[] | undefined;
  /** Put the credential JSON in each result; default the pool's includeCredential. */
  includeCredential?: boolean | undefined;
}

export interface VerifierPool {
  readonly size: number;
  /** Resolves when every worker has loaded its modules. */
  ready(): Promise<void>;
  verify(parameters: VerifyCredentialParameters & { includeCredential?: boolean | undefined }): Promise<VerifyCredentialResult>;
  verifyMany(parameters: VerifyManyParameters): Promise<VerifyCredentialResult[]>;
  /** Stops the workers; pending batches fail. */
  close(): Promise<void>;
}

interface Task {
  request: WorkerRequest;
  resolve(results: VerifyCredentialResult[]): void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  inFlight: Map<number, Task>;
}

// batches in flight per worker: two, so a worker never waits for the main thread between batches
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Starts a verifier pool.
 *
 * @example
 * const pool = createVerifierPool({ size: 2 })
 * const results = await pool.verifyMany({ credentials: jwts, now: new Date() })
 * await pool.close()
 */
export function createVerifierPool(options: VerifierPoolOptions = {}): VerifierPool {
  const size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
  const includeCredential = options.includeCredential ?? false;
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = startWorker();
    let markReady: () => void = () => undefined;
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (markReady = resolve)), inFlight: new Map() };
    worker.on('message', (message: WorkerResponse | { ready: true }) => {
      if ('ready' in message) {
        markReady();
        return;
      }
      const task = slot.inFlight.get(message.id);
      slot.inFlight.delete(message.id);
      options.observer?.verifiedOnWorkers(message.results.length);
      task?.resolve(message.results.map(deserializeResult));
      pump();
    });
    const fail = (reason: string) => {
      markReady();
      for (const task of slot.inFlight.values()) task.resolve(task.request.credentials.map(() => failedResult(reason)));
      slot.inFlight.clear();
      const index = slots.indexOf(slot);
      if (index !== -1 && !closed) {
        slots[index] = spawn();
        pump();
      }
    };
    worker.on('error', (error) => fail(`verifier worker failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!closed) fail(`verifier worker exited with code ${code}`);
    });
    return slot;
  };

  const pump = () => {
    for (const slot of slots) {
      while (queue.length > 0 && slot.inFlight.size < IN_FLIGHT_PER_WORKER) {
        const task = queue.shift() as Task;
        slot.inFlight.set(task.request.id, task);
        slot.worker.postMessage(task.request);
      }
    }
  };

  const submit = (credentials: CredentialInput[], parameters: Omit<VerifyManyParameters, 'credentials'>) =>
    new Promise<VerifyCredentialResult[]>((resolve) => {
      if (closed) {
        resolve(credentials.map(() => failedResult('the verifier pool is closed')));
        return;
      }
      queue.push({
        request: {
          id: nextId++,
          credentials,
          now: parameters.now.getTime(),
          maxClockSkew: parameters.maxClockSkew,
          allowedKeyHashes: parameters.allowedKeyHashes,
          includeCredential: parameters.includeCredential ?? includeCredential,
        },
        resolve,
      });
      pump();
    });

  for (let i = 0; i < size; i++) slots.push(spawn());

  return {
    size,
    async ready() {
      await Promise.all(slots.map((slot) => slot.ready));
    },
    async verify({ credential, ...rest }) {
      const [result] = await submit([credential], rest);
      return result as VerifyCredentialResult;
    },
    async verifyMany({ credentials, ...rest }) {
      const batches: Promise<VerifyCredentialResult[]>[] = [];
      for (let start = 0; start < credentials.length; start += batchSize) {
        batches.push(submit(credentials.slice(start, start + batchSize), rest));
      }
      return (await Promise.all(batches)).flat();
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.resolve(task.request.credentials.map(() => failedResult('the verifier pool was closed')));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
      for (const slot of slots) {
        for (const task of slot.inFlight.values()) task.resolve(task.request.credentials.map(() => failedResult('the verifier pool was closed')));
        slot.inFlight.clear();
      }
    },
  };
}

/** The worker runs the compiled .js beside this file, or the .ts source through ts-node (tests, benchmarks). */
function startWorker(): Worker {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `verify-worker${extension}`);
  if (extension !== '.ts') return new Worker(entry);
  const tsNode = require.resolve('ts-node');
  const source = `require(${JSON.stringify(tsNode)}).register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(__dirname)} });
require(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true });
}

function deserializeResult(result: SerializedResult): VerifyCredentialResult {
  const { error, checks, ...rest } = result;
  return {
    ...rest,
    checks: checks.map(({ error: checkError, ...check }) => ({ ...check, ...(checkError ? { error: errorFromJSON(checkError) } : {}) })),
    ...(error ? { error: errorFromJSON(error) } : {}),
  };
}

function failedResult(reason: string): VerifyCredentialResult {
  const error = new UnexpectedError({ during: 'pooled verification', message: reason });
  return { verified: false, checks: [{ name: 'format', status: 'failed', message: error.shortMessage, error }], error };
}
