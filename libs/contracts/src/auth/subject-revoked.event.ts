/**
 * Payload of `auth.subject.revoked`: verifiers refuse every token of `userId` issued before
 * `notBefore` (epoch seconds, rounded up, since `iat` has whole seconds) until `until`.
 */
export interface SubjectRevokedEvent {
  userId: string;
  notBefore: number;
  until: number;
  reason: 'password-changed' | 'account-disabled';
}
