import { EXPORT_CREATE_ALIASES } from '@vexport/sdk';
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** A field error before its path is written out. */
export interface UnknownFieldError {
  path: PropertyKey[];
  message: string;
}

/** The most edits between an unknown name and a known one for the known one to be suggested. */
const MAX_SUGGESTION_DISTANCE = 2;

/** Names of one field, each way: the specification's name and the record's alias. */
const SYNONYMS = new Map<string, string>(
  Object.entries(EXPORT_CREATE_ALIASES).flatMap(([alias, name]) => [
    [alias, name],
    [name, alias],
  ]),
);
const ALIASED: Record<string, string> = EXPORT_CREATE_ALIASES;

interface WalkedDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  in?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
}

/**
 * The field names that the object schema at `path` inside `schema` accepts (the names of every branch of a
 * union), or none where no object schema is found.
 */
export function knownFieldsAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const def = schema._zod.def as unknown as WalkedDef;
  const [head, ...rest] = path;
  switch (def.type) {
    case 'object': {
      if (head === undefined) return Object.keys(def.shape!);
      const field = def.shape![String(head)];
      return field ? knownFieldsAt(field, rest) : [];
    }
    case 'array':
      return typeof head === 'number' ? knownFieldsAt(def.element!, rest) : [];
    case 'union':
      return [...new Set(def.options!.flatMap((option) => knownFieldsAt(option, path)))];
    case 'pipe':
      return knownFieldsAt(def.in!, path);
    default:
      return def.innerType ? knownFieldsAt(def.innerType, path) : [];
  }
}

const loosely = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The known name an unknown one was probably meant to be: its alias or the name it is an alias of, the same
 * name in another case or separator style (`clipId`, `clip-id`), or one at most two edits away. A near miss
 * of an alias suggests the specification's name where that is known too.
 */
export function suggestField(unknown: string, known: readonly string[]): string | undefined {
  const synonym = SYNONYMS.get(unknown);
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const name of known) {
    const edits =
      loosely(name) === loosely(unknown) ? 0 : distance(unknown.toLowerCase(), name.toLowerCase());
    if (edits < bestDistance) [best, bestDistance] = [name, edits];
  }
  if (best === undefined) return undefined;
  const primary = ALIASED[best];
  return primary !== undefined && known.includes(primary) ? primary : best;
}

function describe(key: string, known: readonly string[], noun: string): string {
  const suggestion = suggestField(key, known);
  return `unknown ${noun} \`${key}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`;
}

/** The keys that every branch of a failed union reports as unknown at its top level. */
function unknownInEveryBranch(branches: z.core.$ZodIssue[][]): string[] {
  const unknownKeys = branches.map(
    (issues) =>
      new Set(
        issues.flatMap((issue) =>
          issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [],
        ),
      ),
  );
  return [...(unknownKeys[0] ?? [])].filter((key) => unknownKeys.every((keys) => keys.has(key)));
}

/**
 * One error per field that `schema` does not know, each naming the field and, where one is close, the
 * field probably meant; undefined for an issue that is not about unknown fields. A failed union keeps its
 * own error and adds one for each field that none of its branches knows.
 */
export function unknownFieldErrors(
  issue: z.core.$ZodIssue,
  schema: z.core.$ZodType | undefined,
  noun: string,
): UnknownFieldError[] | undefined {
  let keys: string[];
  if (issue.code === 'unrecognized_keys') keys = issue.keys;
  else if (issue.code === 'invalid_union') keys = unknownInEveryBranch(issue.errors);
  else return undefined;
  const known = schema ? knownFieldsAt(schema, issue.path) : [];
  const errors = keys.map((key) => ({ path: [...issue.path, key], message: describe(key, known, noun) }));
  return issue.code === 'invalid_union' ? [{ path: issue.path, message: issue.message }, ...errors] : errors;
}
