import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NatsContext } from '@nestjs/microservices';
import type { FastifyRequest } from 'fastify';
import { FIRST_PARTY_CLIENT_ID, HTTP_AUDIENCE, ServiceError } from '@platform/contracts';
import { annotateRequest } from '@platform/observability';
import { AccessDenialReporter } from './access-denial.reporter';
import { AccessTokenVerifier } from './access-token-verifier';
import {
  CALLERS_KEY,
  CLIENT_ADDRESS_FROM_KEY,
  IS_PUBLIC_KEY,
  ROLES_KEY,
  SCOPES_KEY,
  SESSION_REQUIRED_KEY,
} from './auth-metadata';
import { bearerTokenOf, carrierOf, serviceAuthorizationOf } from './bearer-credential';
import { attachPrincipal } from './current-principal.decorator';
import { InsufficientScopeError } from './errors/insufficient-scope.error';
import { MissingRoleError } from './errors/missing-role.error';
import { ServiceCallerRequiredError } from './errors/service-caller-required.error';
import { SessionRequiredError } from './errors/session-required.error';
import { SigningKeysUnavailableError } from './errors/signing-keys-unavailable.error';
import { isUser, Principal } from './principal';

/**
 * The service a message is addressed to owns its subject (`<context>.<aggregate>.<verb>`), so
 * one process hosting several contexts still checks `aud` per context. HTTP is served by the
 * gateway: the verifier's configured audience.
 */
function audienceOf(context: ExecutionContext): string | undefined {
  if (context.getType() !== 'rpc') return undefined;
  return context.switchToRpc().getContext<NatsContext>().getSubject().split('.', 1)[0];
}

/** What a refusal is reported against: the route's pattern (never its URL) or the subject. */
function targetOf(context: ExecutionContext): string {
  if (context.getType() === 'rpc')
    return context.switchToRpc().getContext<NatsContext>().getSubject();
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return `${request.method} ${request.routeOptions.url ?? ''}`;
}

/** Whether a message's payload names a client address (the guard runs before validation). */
function carriesClientAddress(context: ExecutionContext): boolean {
  if (context.getType() !== 'rpc') return false;
  const payload: unknown = context.switchToRpc().getData();
  return typeof payload === 'object' && payload !== null && 'clientIp' in payload;
}

/** What a handler's `@Public()`, `@Scopes()` and `@Roles()` ask for. */
interface HandlerPolicy {
  isPublic: boolean;
  scopes?: string[];
  roles?: string[];
  sessionRequired: boolean;
  /** `@CallableBy()`: the platform services that alone may send it. */
  callers?: string[];
  /** `@ClientAddressFrom()`: the services that alone may send a payload with `clientIp`. */
  addressVouchers?: string[];
}

/** A token of the platform's own sign-in, bound to a session (see `@SessionRequired()`). */
function isFirstPartySession(principal: Principal): boolean {
  return principal.sessionId !== undefined && principal.clientId === FIRST_PARTY_CLIENT_ID;
}

/**
 * The one guard for HTTP routes and message handlers alike, registered globally, so everything is
 * protected unless marked `@Public()`. It reads the bearer token (HTTP `Authorization` header or
 * the message's `authorization` header), verifies it locally, makes the principal available to
 * `@CurrentPrincipal()` and the request line, then enforces `@SessionRequired()`, `@Scopes()`
 * and `@Roles()`. Every refusal is a typed `ServiceError`, reported to the security log,  which the exception filter turns into a 401/403 with a `WWW-Authenticate`
 * challenge over HTTP (RFC 6750 3) and into a structured error reply over messages.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly policies = new WeakMap<object, WeakMap<object, HandlerPolicy>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly denials: AccessDenialReporter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyOf(context);
    if (policy.callers) await this.checkSender(context, policy.callers);
    else if (policy.addressVouchers && carriesClientAddress(context)) {
      await this.checkSender(context, policy.addressVouchers);
    }
    if (policy.isPublic) return true;
    let principal: Principal | undefined;
    try {
      principal = await this.verifier.verify(
        bearerTokenOf(context),
        audienceOf(context),
        // The gateway's edge verified this request's token already (see GatewayEdge).
        context.getType() === 'http' ? carrierOf(context) : undefined,
      );
      attachPrincipal(context, principal);
      if (context.getType() === 'http') {
        annotateRequest(carrierOf(context)!, {
          principal: principal.subject,
          client: principal.clientId,
        });
      }
      this.authorize(principal, policy);
      return true;
    } catch (error) {
      if (error instanceof ServiceError) this.report(context, error, principal);
      throw error;
    }
  }

  /**
   * The sender's service token (`service-authorization`), verified as any access token for
   * this context (signature, `aud`, expiry, revocation), must be a service's (role `service`)
   * and name one of `callers` as its `client_id`. Every failure is the same 403: what is
   * wrong is who sent the message, not the end user's credential, if any. Except that while
   * this process holds no signing keys yet it cannot tell who sent it: that is the 503 it
   * answers any token with, which a sender retries, rather than a refusal it would take as
   * final.
   */
  private async checkSender(context: ExecutionContext, callers: string[]): Promise<void> {
    const header = serviceAuthorizationOf(context);
    const sender = header
      ? await this.verifier
          .verify(bearerTokenOf(context, header), audienceOf(context))
          .catch((error: unknown) => {
            if (error instanceof SigningKeysUnavailableError) throw error;
            return undefined;
          })
      : undefined;
    if (!sender?.roles.includes('service') || !callers.includes(sender.clientId)) {
      const error = new ServiceCallerRequiredError(callers);
      this.report(context, error, sender);
      throw error;
    }
  }

  private authorize(principal: Principal, { scopes, roles, sessionRequired }: HandlerPolicy): void {
    if (sessionRequired && !isFirstPartySession(principal)) throw new SessionRequiredError();
    if (scopes?.some((scope) => !principal.scopes.includes(scope))) {
      throw new InsufficientScopeError(scopes);
    }
    if (roles?.length && !roles.some((role) => principal.roles.includes(role))) {
      throw new MissingRoleError(roles);
    }
  }

  /** The security log hears of every refusal; of the caller, only what the token proved. */
  private report(context: ExecutionContext, error: ServiceError, principal?: Principal): void {
    this.denials.denied({
      code: error.code,
      context: audienceOf(context) ?? HTTP_AUDIENCE,
      target: targetOf(context),
      ...(principal
        ? {
            subject: principal.subject,
            clientId: principal.clientId,
            ...(isUser(principal) ? { userId: principal.subject } : {}),
          }
        : {}),
    });
  }

  /**
   * A handler's decorators do not change once the application runs: read them once per handler
   * and class (an inherited handler may sit in classes with different decorators).
   */
  private policyOf(context: ExecutionContext): HandlerPolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofClass = this.policies.get(controller);
    if (!ofClass) {
      ofClass = new WeakMap();
      this.policies.set(controller, ofClass);
    }
    let policy = ofClass.get(handler);
    if (!policy) {
      const targets = [handler, controller];
      policy = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) ?? false,
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, targets),
        roles: this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets),
        sessionRequired:
          this.reflector.getAllAndOverride<boolean>(SESSION_REQUIRED_KEY, targets) ?? false,
        callers: this.reflector.getAllAndOverride<string[] | undefined>(CALLERS_KEY, targets),
        addressVouchers: this.reflector.getAllAndOverride<string[] | undefined>(
          CLIENT_ADDRESS_FROM_KEY,
          targets,
        ),
      };
      ofClass.set(handler, policy);
    }
    return policy;
  }
}
