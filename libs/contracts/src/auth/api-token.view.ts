/** An API token as its owner sees it in the list: never the secret. */
export class ApiTokenView {
  id!: string;
  name!: string;
  scopes!: string[];
  /** ISO 8601 timestamps. */
  createdAt!: string;
  /** When the gateway last resolved it (to within its cache time), or null if never. */
  lastUsedAt!: string | null;
  expiresAt!: string;
}

/** Reply of `auth.api-token.create`: the view plus the secret, which is shown this once only. */
export class CreatedApiToken extends ApiTokenView {
  /** `pat_` + 30 random base62 characters + a 6-character CRC32 checksum. */
  token!: string;
}
