export * from './principal';
export { createSignature, keyTypeFitsAlgorithm } from './jws-algorithm';
export type { JwksSource } from './jwks-source';
export * from './jwks-cache';
export * from './revocation-list';
export * from './access-token-verifier';
export {
  CallableBy,
  ClientAddressFrom,
  Public,
  Roles,
  Scopes,
  SessionRequired,
} from './auth-metadata';
export { bearerTokenIn } from './bearer-credential';
export { addressKey } from './client-address';
export * from './reused-credential';
export * from './service-tokens';
export { CurrentPrincipal } from './current-principal.decorator';
export * from './security.module';
export * from './message-bus.jwks-source';
export * from './delegated-credentials';
export * from './security.health';
