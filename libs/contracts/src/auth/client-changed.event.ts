/**
 * Payload of `auth.client.changed`: a registered client was updated, got a new secret or was
 * deleted, and every auth replica drops what it cached of it.
 */
export interface ClientChangedEvent {
  clientId: string;
}
