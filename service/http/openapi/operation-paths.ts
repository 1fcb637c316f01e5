/** The OpenAPI paths of operations: health, readiness, metrics, this document. */
import { json, ref } from './shared';

export const operationPaths = {
  '/health': {
    get: {
      tags: ['operations'],
      operationId: 'health',
      summary: 'The process is up.',
      responses: { '200': json(ref('Health'), 'Up.') },
    },
  },
  '/ready': {
    get: {
      tags: ['operations'],
      operationId: 'ready',
      summary: 'Database writable, chain reachable, registry mirror caught up.',
      responses: {
        '200': json(
          ref('Readiness'),
          'Ready; "degraded" while writes met a full or failing disk within the last minute (reads are served; checks.database says why), or while anchoring waits on fees (credentials are taken and queued; checks.anchoring says why).',
        ),
        '503': json(ref('NotReady'), 'Not ready; the message names every failed check.'),
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['operations'],
      operationId: 'metrics',
      summary: 'Prometheus metrics: queue depth, batches per state, anchor latency, RPC errors, HTTP requests.',
      responses: { '200': { description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: {
      tags: ['operations'],
      operationId: 'openapi',
      summary: 'This document.',
      responses: { '200': json(ref('OpenApiDocument'), 'The OpenAPI 3.1 document.') },
    },
  },
};
