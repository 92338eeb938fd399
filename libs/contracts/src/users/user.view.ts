/** A user as every other context and client sees it. Never carries credentials. */
export class UserView {
  id!: string;
  email!: string;
  displayName!: string | null;
  roles!: string[];
  /** ISO 8601 timestamp. */
  createdAt!: string;
}
