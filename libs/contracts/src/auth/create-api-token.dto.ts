import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { SCOPES } from './scopes';

/** `POST /v1/api-tokens` body and `auth.api-token.create` payload. */
export class CreateApiTokenDto {
  /** What the token is for, as its owner will recognise it in the list. */
  @IsString()
  @Length(1, 100)
  name!: string;

  /** A subset of the owner's own scopes. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes!: string[];

  /** Days until the token expires: 1 to 365, 30 when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}
