import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ORG_ID } from '../ids';

/** The most user tokens kept at once; minting past it forgets the oldest. */
const MAX_USER_TOKENS = 1000;

/** A new access token: the org id's 15 characters, `!`, 256 random bits (the shape of a Salesforce session id). */
export function newAccessToken(): string {
  return `${ORG_ID.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The bearer-token check: the `Authorization: Bearer <token>` (or `OAuth <token>`) header of a
 * request → the user the token belongs to, or undefined (the request is answered 401). The admin
 * token is made at start; user tokens are minted by the admin (`mint`, behind
 * `POST /services/localorg/token`). Only SHA-256 digests of tokens are kept, in memory (tokens end
 * with the process, as the admin token does), and a presented token is compared with a stored
 * digest in constant time.
 */
export class TokenAuth {
  private readonly adminHash: Buffer;
  /** Hex digest → the user's id and the digest. */
  private readonly userTokens = new Map<string, { userId: string; hash: Buffer }>();

  constructor(
    token: string,
    private readonly adminUserId: string
  ) {
    this.adminHash = digest(token);
  }

  /** The running user of a request with this Authorization header. */
  userOf(header: string | undefined): string | undefined {
    const m = /^(?:Bearer|OAuth)\s+(\S.*)$/i.exec(header ?? '');
    return m ? this.userOfToken(m[1].trim()) : undefined;
  }

  /** The user a bare token belongs to (Bulk API 1.0 sends it as `X-SFDC-Session`). */
  userOfToken(token: string): string | undefined {
    const given = digest(token);
    if (timingSafeEqual(given, this.adminHash)) return this.adminUserId;
    const entry = this.userTokens.get(given.toString('hex'));
    return entry && timingSafeEqual(given, entry.hash) ? entry.userId : undefined;
  }

  /** A new token for a user (kept as its digest only). */
  mint(userId: string): string {
    const token = newAccessToken();
    const hash = digest(token);
    if (this.userTokens.size >= MAX_USER_TOKENS) this.userTokens.delete(this.userTokens.keys().next().value as string);
    this.userTokens.set(hash.toString('hex'), { userId, hash });
    return token;
  }
}
