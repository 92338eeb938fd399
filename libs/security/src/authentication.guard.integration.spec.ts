import { describeGuardContract } from '../test/guard-contract';

describeGuardContract('NATS', process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
