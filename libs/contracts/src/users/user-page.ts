import { UserView } from './user.view';

/** One page of users. */
export class UserPage {
  items!: UserView[];
  /** Users in all pages. */
  total!: number;
  limit!: number;
  offset!: number;
}
