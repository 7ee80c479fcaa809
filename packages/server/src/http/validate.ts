import type { z } from 'zod';
import { NotFoundError, ValidationError } from './problem.js';

/**
 * Parses a request part with a contract schema; a failure is a 422 naming each bad field, unknown ones too
 * (the schemas are strict: a misspelt field is an error, never silently dropped).
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  part: 'body' | 'query' = 'body',
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw ValidationError.fromZod(result.error, part === 'query' ? 'query' : undefined, schema);
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id from a path parameter. Anything that is not a UUID cannot name a record, so it is a 404 like any
 * unknown id (and never reaches the database).
 */
export function parseId(value: string | string[] | undefined, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundError(`No ${what} with this id.`);
  return value.toLowerCase();
}
