import { randomBytes } from 'node:crypto';
import { connect, Msg, NatsConnection } from '@nats-io/transport-node';
import { ReplyInbox } from './reply-inbox';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const subject = (name: string) => `replyinbox${randomBytes(4).toString('hex')}.${name}`;

/** A request's outcome, as its handler heard it. */
function outcome(inbox: ReplyInbox, to: string, body: string) {
  return new Promise<{ error?: Error; reply?: Msg }>((resolve) => {
    inbox.request(to, body, undefined, (error, reply) => resolve({ error, reply }));
  });
}

describe('ReplyInbox', () => {
  let caller: NatsConnection;
  let answerer: NatsConnection;

  beforeEach(async () => {
    caller = await connect({ servers: natsUrl });
    answerer = await connect({ servers: natsUrl });
  });

  afterEach(async () => {
    await caller.close();
    await answerer.close();
  });

  it('gives each of many concurrent requests its own reply', async () => {
    const echo = subject('echo');
    // Answers in reverse order, so a reply matched by arrival instead of by token would fail.
    const held: Msg[] = [];
    answerer.subscribe(echo, {
      callback: (_error, message) => {
        held.push(message);
        if (held.length === 20) for (const m of held.reverse()) m.respond(`re:${m.string()}`);
      },
    });
    await answerer.flush();
    const inbox = new ReplyInbox(caller, undefined, 2000);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => outcome(inbox, echo, String(i))),
    );
    expect(replies.map(({ reply }) => reply?.string())).toEqual(
      Array.from({ length: 20 }, (_, i) => `re:${i}`),
    );
  });

  it('hears "no responders" as an empty reply', async () => {
    const inbox = new ReplyInbox(caller, undefined, 2000);
    const { error, reply } = await outcome(inbox, subject('nobody'), '{}');
    expect(error).toBeUndefined();
    expect(reply?.data.length).toBe(0);
  });

  it('drops a reply that comes after its request was torn down', async () => {
    const late = subject('late');
    let answer: (() => void) | undefined;
    answerer.subscribe(late, {
      callback: (_error, message) => {
        answer = () => message.respond('late');
      },
    });
    await answerer.flush();
    const inbox = new ReplyInbox(caller, undefined, 2000);
    const heard: string[] = [];
    const teardown = inbox.request(late, '{}', undefined, (_error, reply) => {
      heard.push(reply?.string() ?? 'error');
    });
    await caller.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    teardown();
    answer!();
    await answerer.flush();
    await caller.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([]);
  });

  it('fails a request nobody tears down once its deadline has passed', async () => {
    const silent = subject('silent');
    answerer.subscribe(silent, { callback: () => undefined });
    await answerer.flush();
    const inbox = new ReplyInbox(caller, undefined, 50);
    const started = Date.now();
    const { error } = await outcome(inbox, silent, '{}');
    expect(error?.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('fails the waiting requests, and every later one, once the connection closes', async () => {
    const silent = subject('silent');
    answerer.subscribe(silent, { callback: () => undefined });
    await answerer.flush();
    const inbox = new ReplyInbox(caller, undefined, 5000);
    const waiting = outcome(inbox, silent, '{}');
    await caller.flush();
    await caller.close();
    expect((await waiting).error?.message).toMatch(/connection closed/i);
    expect((await outcome(inbox, silent, '{}')).error?.message).toMatch(/connection closed/i);
  });
});
