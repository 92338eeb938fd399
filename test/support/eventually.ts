/** Polls `condition` until it holds; fails once `withinMs` have passed without it. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  withinMs = 5000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
