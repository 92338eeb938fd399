import { ClientAddressed } from './client-addressed';
import { RegisterAccountDto } from './register-account.dto';

/** `auth.account.register` payload: the body of `POST /v1/auth/register` and its client's address. */
export class RegisterAccountCommand extends ClientAddressed(RegisterAccountDto) {}
