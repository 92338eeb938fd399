import { describeGuardContract } from '../test/guard-contract';

describeGuardContract('in-process');
