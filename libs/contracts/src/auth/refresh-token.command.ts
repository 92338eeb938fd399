import { ClientAddressed } from './client-addressed';
import { RefreshTokenDto } from './refresh-token.dto';

/** `auth.session.refresh` payload: the body of `POST /v1/auth/refresh` and its client's address. */
export class RefreshTokenCommand extends ClientAddressed(RefreshTokenDto) {}
