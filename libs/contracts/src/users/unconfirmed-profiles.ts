import { IsInt, Max, Min } from 'class-validator';

/** `users.user.list-unconfirmed` payload. */
export class ListUnconfirmedProfilesDto {
  @IsInt()
  @Min(1)
  @Max(100)
  limit!: number;

  /** Only profiles created at least this long ago: younger ones may still be confirmed. */
  @IsInt()
  @Min(0)
  @Max(86_400)
  olderThanSeconds!: number;
}

/** Reply of `users.user.list-unconfirmed`. */
export interface UnconfirmedProfiles {
  /** Profiles whose account auth has not reported whole, oldest first. */
  ids: string[];
}
