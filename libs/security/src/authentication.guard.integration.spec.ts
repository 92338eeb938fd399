import { NatsServer } from '../../../test/support/nats-server';
import { describeGuardContract } from '../test/guard-contract';

let nats: NatsServer | undefined;
afterAll(() => nats?.stop());

describeGuardContract('NATS', async () => (nats = await NatsServer.start()).url);
