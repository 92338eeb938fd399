import type { ContextName } from '../platform/contexts';

/** Every scope the platform knows (public contract). */
export const SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'users:read',
  'users:write',
  'orders:read',
  'orders:write',
  'admin',
] as const;

/**
 * The scopes each service acts on, so a token exchanged for one service (RFC 8693) carries
 * nothing that only matters to another. `admin` matters to every service that has admin
 * operations; the gateway serves the whole HTTP API, so every scope matters to it.
 */
export const AUDIENCE_SCOPES = {
  gateway: SCOPES,
  auth: ['openid', 'profile', 'email', 'offline_access', 'admin'],
  users: ['users:read', 'users:write', 'admin'],
  orders: ['orders:read', 'orders:write', 'admin'],
} as const satisfies Record<ContextName, readonly (typeof SCOPES)[number][]>;
