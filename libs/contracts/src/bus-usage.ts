import { AuthEvent, AuthPattern } from './auth/auth.patterns';
import { SERVICE_TOKEN_SUBJECTS } from './auth/service-token';
import { OrdersPattern } from './orders/orders.patterns';
import { UsersEvent, UsersPattern } from './users/users.patterns';
import type { ContextName } from './platform/contexts';
import { KeyValueBucket } from './platform/key-value-buckets';

/**
 * What a context uses of the bus besides answering its own request subjects
 * (`REQUEST_SUBJECTS`) and publishing its own events (`EVENT_STREAMS`).
 */
export interface ContextBusUsage {
  /** Request subjects of other contexts it sends (or emits, for a fire-and-forget subject). */
  sends: readonly string[];
  /** Event subjects it consumes, from any context's stream. */
  consumes: readonly string[];
  /** JetStream key-value buckets it keeps (`KeyValueBucket`). */
  buckets: readonly string[];
}

/** The request subjects each context answers, in its own queue group (see `queueForHandler`). */
export const REQUEST_SUBJECTS: Readonly<Record<ContextName, readonly string[]>> = {
  gateway: [],
  auth: [...Object.values(AuthPattern), ...SERVICE_TOKEN_SUBJECTS],
  users: Object.values(UsersPattern),
  orders: Object.values(OrdersPattern),
};

/**
 * What every process does through its token verifier and guards (`libs/security`): it fetches
 * the key set and the revocations in force, exchanges a user's token for another service's,
 * reports refusals to the security log, and hears key-set changes and revocations.
 */
export const VERIFIER_BUS_USAGE: ContextBusUsage = {
  sends: [
    AuthPattern.GetJwks,
    AuthPattern.ListRevocations,
    // A user's token exchanged for another service's (RFC 8693), as the acting service's client.
    AuthPattern.OAuthToken,
    AuthPattern.RecordAccessDenied,
  ],
  consumes: [
    AuthEvent.KeySetChanged,
    AuthEvent.SessionRevoked,
    AuthEvent.SubjectRevoked,
    AuthEvent.TokenRevoked,
    UsersEvent.UserDisabled,
  ],
  buckets: [],
};

/**
 * What each context's own code uses of the bus, on top of `VERIFIER_BUS_USAGE`. The NATS
 * permissions of its identity are derived from this, its request subjects and its stream
 * (`deploy/nats/`), so whatever a context starts sending or consuming is listed here first;
 * `test/architecture/bus-usage.spec.ts` fails on a send or event handler that is not.
 */
export const CONTEXT_BUS_USAGE: Readonly<Record<ContextName, ContextBusUsage>> = {
  gateway: {
    sends: [
      AuthPattern.RegisterAccount,
      AuthPattern.Login,
      AuthPattern.Refresh,
      AuthPattern.Logout,
      AuthPattern.LogoutAll,
      AuthPattern.ChangePassword,
      AuthPattern.GetJwks,
      AuthPattern.ListSecurityEvents,
      AuthPattern.CreateApiToken,
      AuthPattern.ListApiTokens,
      AuthPattern.RevokeApiToken,
      AuthPattern.ResolveApiToken,
      AuthPattern.ExchangeLegacyCredential,
      AuthPattern.OAuthToken,
      AuthPattern.OAuthRevoke,
      AuthPattern.OAuthIntrospect,
      AuthPattern.Authorize,
      AuthPattern.SubmitLogin,
      AuthPattern.Consent,
      AuthPattern.EndSession,
      AuthPattern.GetUserInfo,
      AuthPattern.RegisterClient,
      AuthPattern.ListClients,
      AuthPattern.GetClient,
      AuthPattern.UpdateClient,
      AuthPattern.DeleteClient,
      AuthPattern.RotateClientSecret,
      UsersPattern.GetUser,
      UsersPattern.UpdateProfile,
      UsersPattern.ListUsers,
      UsersPattern.SetRoles,
      UsersPattern.DisableUser,
      OrdersPattern.CreateOrder,
      OrdersPattern.GetOrder,
      OrdersPattern.ListOrders,
    ],
    consumes: [
      AuthEvent.ApiTokenRevoked,
      AuthEvent.SubjectRevoked,
      UsersEvent.UserDisabled,
      UsersEvent.UserRolesChanged,
    ],
    buckets: [KeyValueBucket.GatewayRateLimits],
  },
  auth: {
    sends: [
      UsersPattern.CreateUser,
      UsersPattern.GetUser,
      UsersPattern.CancelRegistration,
      UsersPattern.ConfirmRegistration,
      UsersPattern.ListUnconfirmed,
    ],
    consumes: [
      UsersEvent.UserCreated,
      UsersEvent.UserDisabled,
      UsersEvent.UserRolesChanged,
      AuthEvent.KeySetChanged,
      AuthEvent.ClientChanged,
    ],
    buckets: [],
  },
  users: {
    sends: [],
    consumes: [
      AuthEvent.AccountRegistered,
      UsersEvent.UserUpdated,
      UsersEvent.UserRolesChanged,
      UsersEvent.UserDisabled,
    ],
    buckets: [],
  },
  orders: {
    sends: [UsersPattern.GetUser],
    consumes: [],
    buckets: [],
  },
};
