/** The auth context's migrations, oldest first. Never edit one that has landed; add another. */
export const authMigrations: (new () => object)[] = [];
