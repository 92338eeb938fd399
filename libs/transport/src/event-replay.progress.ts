/**
 * Which replaying event handlers (see `EventReplay`) have caught up with their stream, for
 * readiness: a process whose revocations or keys are still being read must not take traffic.
 */
export class EventReplayProgress {
  private readonly pending = new Set<string>();

  /** A handler of `subject` started replaying. */
  replaying(subject: string): void {
    this.pending.add(subject);
  }

  /** The handler of `subject` has read everything its stream held when it started. */
  caughtUp(subject: string): void {
    this.pending.delete(subject);
  }

  /** The subjects still being replayed. */
  behind(): string[] {
    return [...this.pending];
  }
}
