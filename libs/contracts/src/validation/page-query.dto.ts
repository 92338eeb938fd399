import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The paging of a list: at most `limit` items (1 to 100), after the first `offset`. */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  // PostgreSQL reads OFFSET as a bigint: `1e20` is an integer to JavaScript and an error there.
  // The largest integer a JSON number carries exactly is also well inside a bigint.
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;
}
