/** A JSON object, as a JOSE header or a JWT claims set is (RFC 7515 4, RFC 7519 4). */
export type JsonObject = Record<string, unknown>;

/** A base64url segment of a compact JWS decoded as a JSON object, or undefined when it is none. */
export function decodeJsonObject(segment: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}
