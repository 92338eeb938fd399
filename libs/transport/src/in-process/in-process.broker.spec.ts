import { headers } from '@nats-io/transport-node';
import { BrokerMessage, InProcessBroker } from './in-process.broker';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InProcessBroker', () => {
  it('delivers to every plain subscriber and to one member of each queue group, in turn', async () => {
    const broker = new InProcessBroker();
    const got: string[] = [];
    broker.subscribe('a.b.c', () => got.push('plain'));
    broker.subscribe('a.b.c', () => got.push('users-1'), 'users');
    broker.subscribe('a.b.c', () => got.push('users-2'), 'users');
    broker.subscribe('a.b.c', () => got.push('orders-1'), 'orders');

    expect(broker.publish('a.b.c', '{}')).toBe(3);
    expect(broker.publish('a.b.c', '{}')).toBe(3);
    await tick();
    expect(got.sort()).toEqual(['orders-1', 'orders-1', 'plain', 'plain', 'users-1', 'users-2']);
  });

  it('delivers asynchronously, with a private copy of the headers', async () => {
    const broker = new InProcessBroker();
    const received: BrokerMessage[] = [];
    broker.subscribe('x', (message) => {
      message.headers.set('mutated', 'yes');
      received.push(message);
    });
    const sent = headers();
    sent.set('x-correlation-id', 'c1');
    broker.publish('x', '"payload"', sent);
    expect(received).toEqual([]);
    await tick();
    expect(received[0].headers.get('x-correlation-id')).toBe('c1');
    expect(sent.has('mutated')).toBe(false);
  });

  it("carries a request's reply subject, where a reply is a message like any other", async () => {
    const broker = new InProcessBroker();
    const inbox = broker.inbox();
    expect(inbox).toMatch(/^_INBOX\./);
    expect(broker.inbox()).not.toBe(inbox);
    broker.subscribe('x', (message) => broker.publish(message.reply!, `"re: ${message.data}"`));
    const replies: string[] = [];
    broker.subscribe(inbox, (message) => replies.push(message.data));
    broker.publish('x', 'hello', undefined, inbox);
    await tick();
    await tick();
    expect(replies).toEqual(['"re: hello"']);
  });

  it('reports that nobody received a message after the last unsubscribe', () => {
    const broker = new InProcessBroker();
    const unsubscribe = broker.subscribe('x', () => undefined);
    unsubscribe();
    expect(broker.publish('x', '{}')).toBe(0);
  });
});
