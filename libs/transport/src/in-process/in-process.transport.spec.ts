import { describeTransportContract } from '../../test/transport-contract';

describeTransportContract('in-process');
