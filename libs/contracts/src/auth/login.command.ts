import { IsIP, IsOptional, IsString, MaxLength } from 'class-validator';
import { LoginDto } from './login.dto';

/** `auth.session.login` payload: the credentials plus what the gateway knows of the client. */
export class LoginCommand extends LoginDto {
  /** The client's address as the gateway saw it; failed logins are also counted per address. */
  @IsIP()
  clientIp!: string;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  userAgent?: string;
}
