/**
 * The catalogue of the API's response schemas: each one registered here under the name the OpenAPI document
 * gives it (components.schemas), so that the document is generated from the same zod schemas the tests
 * check the presenters' output with.
 */
import { z } from 'zod';

export const apiSchemas = z.registry<{ id: string; description?: string }>();
const byName = new Map<string, z.ZodType>();

/** Registers `schema` as the component `id` and returns it. */
export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  apiSchemas.add(schema, description === undefined ? { id } : { id, description });
  byName.set(id, schema);
  return schema;
}

/** The zod schema registered as the component `name`; undefined for a name the catalogue does not have. */
export function apiSchema(name: string): z.ZodType | undefined {
  return byName.get(name);
}

/** A 32-byte hash as the API writes it: 0x and 64 lower-case hex digits. */
export const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
/** A moment as the API writes it: ISO 8601 in UTC (toISOString, or a block time to the second). */
export const time = z.iso.datetime();
export const integer = z.int();
