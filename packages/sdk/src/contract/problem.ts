import { z } from 'zod';
import { PROBLEM_CODES } from './values.js';

/** Stable machine-readable error codes; see {@link PROBLEM_CODES}. */
export const ProblemCode = z.enum(PROBLEM_CODES);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** One failed check of a request, pointing at the offending field. */
export const ProblemFieldError = z.object({
  path: z.string(),
  message: z.string(),
});
export type ProblemFieldError = z.infer<typeof ProblemFieldError>;

/** RFC 9457 problem details (`application/problem+json`) with vexport's stable `code`. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  code: ProblemCode,
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(ProblemFieldError).optional(),
  retry_after_seconds: z.number().int().min(0).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Media type of every error body the API sends. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The `type` URI of a problem code: a stable, documented identifier. */
export function problemTypeUri(code: ProblemCode): string {
  return `https://vexport.dev/problems/${code.replaceAll('_', '-')}`;
}
