export * from './principal';
export {
  createSignature,
  JWS_ALGORITHMS,
  JwsAlgorithm,
  keyTypeFitsAlgorithm,
} from './jws-algorithm';
export * from './jwks-source';
export * from './jwks-cache';
export * from './revocation-list';
export * from './access-token-verifier';
export * from './auth-metadata';
export { CurrentPrincipal, principalOf } from './current-principal.decorator';
export * from './authentication.guard';
export * from './security.module';
export * from './message-bus.jwks-source';
