import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The bearer-token check: the `Authorization: Bearer <token>` (or `OAuth <token>`) header of a
 * request → the user the token belongs to, or undefined (the request is answered 401). Tokens are
 * compared as SHA-256 digests in constant time.
 */
export class TokenAuth {
  private readonly tokenHash: Buffer;

  constructor(
    token: string,
    private readonly userId: string
  ) {
    this.tokenHash = createHash('sha256').update(token).digest();
  }

  /** The running user of a request with this Authorization header. */
  userOf(header: string | undefined): string | undefined {
    const m = /^(?:Bearer|OAuth)\s+(\S.*)$/i.exec(header ?? '');
    if (!m) return undefined;
    const given = createHash('sha256').update(m[1].trim()).digest();
    return timingSafeEqual(given, this.tokenHash) ? this.userId : undefined;
  }
}
