import { ChangePasswordDto } from './change-password.dto';
import { ClientAddressed } from './client-addressed';

/** `auth.password.change` payload: the body of `POST /v1/auth/password` and its client's address. */
export class ChangePasswordCommand extends ClientAddressed(ChangePasswordDto) {}
