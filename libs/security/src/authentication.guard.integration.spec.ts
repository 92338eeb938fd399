import { NatsServer } from '../../../test/support/nats-server';
import { describeGuardContract } from '../test/guard-contract';

describeGuardContract('NATS', () => NatsServer.start());
