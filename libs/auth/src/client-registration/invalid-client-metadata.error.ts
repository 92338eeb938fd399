import { ErrorCode, ServiceError } from '@platform/contracts';

/** RFC 7591 3.2.2 `invalid_client_metadata`: a metadata field's value is refused. */
export class InvalidClientMetadataError extends ServiceError {
  constructor(description: string) {
    super(ErrorCode.InvalidClientMetadata, description);
  }
}

/** RFC 7591 3.2.2 `invalid_redirect_uri`: a redirect URI is refused. */
export class InvalidRedirectUriError extends ServiceError {
  constructor(description: string) {
    super(ErrorCode.InvalidRedirectUri, description);
  }
}
