/**
 * Where a handler heard by every process (no queue group) starts reading its event stream, as
 * `@EventPattern(subject, { replay })`; over the in-process transport every handler hears only
 * what is published from then on.
 *
 * - `new` (the default): what is published from now on, for state that starts empty (a cache).
 * - `last`: the latest event of the subject, then what follows, for events that each state the
 *   whole truth (the key set).
 * - `recent`: every event of the last `TransportOptions.recentEventsSeconds`, then what follows,
 *   for events that matter while the tokens they concern live (revocations).
 *
 * Handlers of `last` and `recent` hold what a process needs before it may serve: it is not
 * ready (see `EventReplayProgress`) until they have caught up with their stream.
 */
export type EventReplay = 'new' | 'last' | 'recent';

export function eventReplayOf(extras: Record<string, unknown> | undefined): EventReplay {
  const replay = extras?.replay;
  return replay === 'last' || replay === 'recent' ? replay : 'new';
}
