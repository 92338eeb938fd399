/** Request subjects answered by the auth context (`<context>.<aggregate>.<verb>`). */
export const AuthPattern = {
  /** Create an account: credential here, profile in users. Payload: `RegisterAccountDto`. Reply: `UserView`. Errors: 400, 409. */
  RegisterAccount: 'auth.account.register',
  /** The public signing keys. Payload: `{}`. Reply: a JWK Set (RFC 7517 5). */
  GetJwks: 'auth.jwks.get',
} as const;
