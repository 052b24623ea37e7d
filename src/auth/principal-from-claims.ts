import type { JWTPayload } from 'jose';
import { INVISIBLE_CHARACTER } from '../domain/invisible-characters.ts';
import { AUTHORITY_KINDS, type AuthorityKind } from '../domain/types.ts';
import { AuthenticationError, quoted } from './authentication-error.ts';
import { readClaim, type ClaimNames } from './claim-names.ts';
import { ROLES, type Principal, type Role } from './principal.ts';

/** A county (or wider) division has 6 digits, a township 9. */
const JURISDICTION = /^(\d{6}|\d{9})$/;

/**
 * Builds the caller from a token whose signature, issuer, audience and lifetime are already
 * verified. Anything the permission layer relies on must be present and well-formed here: a
 * half-filled principal would be judged by rules that assume it is whole.
 */
export function principalFromClaims(payload: JWTPayload, issuer: string, names: ClaimNames): Principal {
  const subject = identifier(payload, 'sub');
  return {
    subject,
    issuer,
    kind: callerKind(payload, subject, names),
    authorityCode: identifier(payload, names.authority),
    authorityKind: authorityKind(payload, names.authorityKind),
    jurisdictionCode: jurisdiction(payload, names.jurisdiction),
    roles: roles(payload, names.roles),
    purpose: purpose(payload, names.purpose),
    token: { jti: tokenId(payload), expiresAt: new Date((payload.exp ?? 0) * 1000) },
  };
}

/**
 * The token's `jti` (RFC 7519 §4.1.7), by which it is revoked. A token without one is accepted, as
 * before revocation existed, but cannot be revoked on its own. One that has a `jti` not usable as a
 * name (not a string, blank, unreadable, too long) is refused: accepting it would let it escape a
 * revocation nobody could type.
 */
function tokenId(payload: JWTPayload): string | null {
  if (payload.jti === undefined) return null;
  return identifier(payload, 'jti');
}

function required(payload: JWTPayload, name: string): unknown {
  const value = readClaim(payload, name);
  if (value === undefined || value === null) {
    throw new AuthenticationError('missing_claim', `The token has no "${name}" claim.`);
  }
  return value;
}

function invalid(name: string, expected: string): AuthenticationError {
  return new AuthenticationError('invalid_claim', `The token's "${name}" claim must be ${expected}.`);
}

function requiredString(payload: JWTPayload, name: string): string {
  const value = required(payload, name);
  if (typeof value !== 'string' || value.trim() === '') throw invalid(name, 'a non-empty string');
  return value;
}

/** Longer than any subject or authority code an identity platform issues (a UUID is 36, an e-mail at most 254). */
export const MAX_IDENTIFIER_LENGTH = 256;
/** Controls and lone surrogates; invisible characters are `INVISIBLE_CHARACTER`'s. */
const UNREADABLE = /[\p{Cc}]|[\uD800-\uDFFF]/u;

/**
 * A claim that names the caller (its subject, its authority): stored as written in the access
 * log, transfers, sharing requests and grants, compared with codes an administrator typed, and
 * read back by people. So it must read as it compares: no control or invisible character (an
 * override would show 330381-ZHZFJ as another code), no blanks around it, and of a sane length.
 */
function identifier(payload: JWTPayload, name: string): string {
  const value = requiredString(payload, name);
  if (
    UNREADABLE.test(value) ||
    INVISIBLE_CHARACTER.test(value) ||
    value !== value.trim() ||
    [...value].length > MAX_IDENTIFIER_LENGTH
  ) {
    throw invalid(
      name,
      `an identifier of at most ${MAX_IDENTIFIER_LENGTH} characters, without blanks around it, control characters or invisible marks`,
    );
  }
  return value;
}

function authorityKind(payload: JWTPayload, name: string): AuthorityKind {
  const value = required(payload, name);
  const kind = AUTHORITY_KINDS.find((k) => k === value);
  if (kind === undefined) throw invalid(name, `one of ${AUTHORITY_KINDS.join(', ')}`);
  return kind;
}

/** Some providers emit numeric claims; a division code is digits either way. */
function jurisdiction(payload: JWTPayload, name: string): string {
  const value = required(payload, name);
  const code = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof code !== 'string' || !JURISDICTION.test(code)) throw invalid(name, 'a 6- or 9-digit division code');
  return code;
}

/** An array, or one space-separated string as OAuth scopes are written. */
function roles(payload: JWTPayload, name: string): Role[] {
  const value = required(payload, name);
  const names = typeof value === 'string' ? value.split(' ').filter((r) => r !== '') : value;
  if (!Array.isArray(names) || names.length === 0) throw invalid(name, `a non-empty list of ${ROLES.join(', ')}`);
  const found: Role[] = [];
  for (const entry of names) {
    const role = ROLES.find((r) => r === entry);
    if (role === undefined) throw invalid(name, `a list of ${ROLES.join(', ')} (not ${quoted(entry)})`);
    if (!found.includes(role)) found.push(role);
  }
  return found;
}

/**
 * The kind claim decides when present. Without it, a token whose subject is the client it was
 * issued to (the OAuth client-credentials grant) is a system; anything else is a person.
 */
function callerKind(payload: JWTPayload, subject: string, names: ClaimNames): Principal['kind'] {
  const value = readClaim(payload, names.clientKind);
  if (value === undefined || value === null) {
    return readClaim(payload, names.clientId) === subject ? 'SYSTEM' : 'PERSON';
  }
  if (typeof value === 'string' && value.toLowerCase() === 'system') return 'SYSTEM';
  if (typeof value === 'string' && value.toLowerCase() === 'person') return 'PERSON';
  throw invalid(names.clientKind, '"system" or "person"');
}

function purpose(payload: JWTPayload, name: string): string | null {
  const value = readClaim(payload, name);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') throw invalid(name, 'a non-empty string when present');
  return value;
}
