import {
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamManager,
  StreamConfig,
} from '@nats-io/jetstream';
import { BusNotProvisionedError } from './bus-not-provisioned.error';

/**
 * The configuration of a stream the operator provisioned (`npm run nats:provision`), looked up
 * with `STREAM.INFO`, the one stream call a service's identity may make on a hardened bus.
 * Rejects with a `BusNotProvisionedError` when there is no such stream.
 */
export async function provisionedStream(
  jsm: JetStreamManager,
  name: string,
): Promise<StreamConfig> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      throw new BusNotProvisionedError(`The JetStream stream ${name} does not exist`);
    }
    throw error;
  }
}
