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
