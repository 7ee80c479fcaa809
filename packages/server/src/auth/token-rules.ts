/** Longest token lifetime the API accepts unless JWT_MAX_LIFETIME_SECONDS says otherwise: 24 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** Seconds by which the API's clock and the token issuer's may differ (for `exp`, `nbf` and the lifetime). */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** What a usable `sub` is, in words for the person whose token was refused. */
export const SUBJECT_RULE = "The token's subject (`sub`) must be 1-255 printable characters.";

/**
 * 1-255 code points (as PostgreSQL counts them in `users.external_id`), none of them a control character (C0,
 * NUL and DEL included, or C1), a line or paragraph separator, or a lone surrogate: two subjects that print
 * alike are the same user, and a subject never breaks a log line.
 */
const PRINTABLE_SUBJECT = /^[^\p{Cc}\p{Cs}\p{Zl}\p{Zp}]{1,255}$/u;

/** True when `subject` may name a user: see PRINTABLE_SUBJECT. */
export function isUsableSubject(subject: unknown): subject is string {
  return typeof subject === 'string' && PRINTABLE_SUBJECT.test(subject);
}
