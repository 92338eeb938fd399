/** Payload of `auth.api-token.revoked`: every gateway replica drops what it cached for the token. */
export interface ApiTokenRevokedEvent {
  id: string;
  userId: string;
}
