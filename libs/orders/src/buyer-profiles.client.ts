import { Inject, Injectable } from '@nestjs/common';
import { UsersPattern, UserView } from '@platform/contracts';
import {
  type Principal,
  sendWithCredential,
  USER_DELEGATED_CREDENTIALS,
  type UserDelegatedCredentials,
} from '@platform/security';
import { MessageBus } from '@platform/transport';

/**
 * The users context as orders calls it: the buyer's profile, read on the buyer's behalf with a
 * token for users alone that can only read (`users:read`), exchanged by orders as an OAuth
 * client (RFC 8693, `act: {sub: "orders"}`), never with the buyer's own token, whose audience
 * and scopes reach much further.
 */
@Injectable()
export class BuyerProfiles {
  constructor(
    private readonly bus: MessageBus,
    @Inject(USER_DELEGATED_CREDENTIALS) private readonly credentials: UserDelegatedCredentials,
  ) {}

  of(buyer: Principal): Promise<UserView> {
    const credential = this.credentials.credentialFor('orders', buyer, 'users', ['users:read']);
    return sendWithCredential(credential, (authorization) =>
      this.bus.send<UserView>(UsersPattern.GetUser, { id: buyer.subject }, { authorization }),
    );
  }
}
