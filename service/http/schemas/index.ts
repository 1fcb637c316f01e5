/**
 * The zod schemas of the API's JSON answers, one per shape the presenters and routes send. The OpenAPI
 * document's components.schemas are generated from them (componentSchemas), and test/http/response-schemas
 * checks every presenter's output and every documented answer against them.
 */
import { z } from 'zod';
import { apiSchemas } from './catalog';

export * from './access';
export * from './badge-classes';
export * from './credentials';
export * from './errors';
export * from './network';
export * from './operations';
export * from './stats';
export * from './status-lists';
export * from './verification';
export { apiSchema, apiSchemas, hex32, time } from './catalog';

type JsonSchema = Record<string, unknown>;

/**
 * Every registered schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), referring to the others as
 * #/components/schemas/<name>. Two of zod's renderings are left out as noise for a reader: the bounds of a
 * safe integer on every integer, and the regular expression beside format date-time.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemas, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      const schema = jsonSchema as JsonSchema;
      if (schema.type === 'integer' && schema.minimum === Number.MIN_SAFE_INTEGER && schema.maximum === Number.MAX_SAFE_INTEGER) {
        delete schema.minimum;
        delete schema.maximum;
      }
      if (schema.format === 'date-time') delete schema.pattern;
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [name, rest];
    }),
  );
}
