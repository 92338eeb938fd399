import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthPattern,
  ClientIdDto,
  ClientInformationView,
  RegisterClientCommand,
  UpdateClientCommand,
} from '@platform/contracts';
import { CurrentPrincipal, Principal, Roles, Scopes } from '@platform/security';
import { BuiltInClients } from '../clients/built-in-clients';
import { ClientNotFoundError } from './client-not-found.error';
import { clientInformationOf } from './client-information';
import { ClientRegistration } from './client-registration.service';
import { ClientStore } from '../clients/client.store';
import { InvalidClientMetadataError } from './invalid-client-metadata.error';

/**
 * The client registry for administrators (role and scope `admin`). The metadata is validated
 * by `ClientRegistration`, so a bad value is RFC 7591's error rather than a generic one.
 */
@Roles('admin')
@Scopes('admin')
@Controller()
export class ClientsMessageController {
  constructor(
    private readonly registration: ClientRegistration,
    private readonly builtIn: BuiltInClients,
    private readonly store: ClientStore,
  ) {}

  @MessagePattern(AuthPattern.RegisterClient)
  register(
    @Payload() command: RegisterClientCommand,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ClientInformationView> {
    return this.registration.register(command?.metadata, principal.subject);
  }

  /** The built-in clients first (read-only), then the registered ones, oldest first. */
  @MessagePattern(AuthPattern.ListClients)
  async list(): Promise<ClientInformationView[]> {
    const registered = await this.store.list();
    return [...this.builtIn.all(), ...registered].map((client) => clientInformationOf(client));
  }

  @MessagePattern(AuthPattern.GetClient)
  async get(@Payload() request: ClientIdDto): Promise<ClientInformationView> {
    const builtIn = this.builtIn.find(request.id);
    return clientInformationOf(builtIn?.client ?? (await this.registration.get(request.id)));
  }

  @MessagePattern(AuthPattern.UpdateClient)
  update(
    @Payload() command: UpdateClientCommand,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ClientInformationView> {
    const id = clientIdOf(command, this.builtIn);
    return this.registration.update(id, command.metadata, principal.subject);
  }

  @MessagePattern(AuthPattern.DeleteClient)
  async delete(
    @Payload() request: ClientIdDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.registration.delete(clientIdOf(request, this.builtIn), principal.subject);
  }

  @MessagePattern(AuthPattern.RotateClientSecret)
  rotateSecret(
    @Payload() request: ClientIdDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ClientInformationView> {
    return this.registration.rotateSecret(clientIdOf(request, this.builtIn), principal.subject);
  }
}

/** A registered client's id; a built-in client is configuration and cannot be changed here. */
function clientIdOf(request: { id?: unknown }, builtIn: BuiltInClients): string {
  const id = request?.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new ClientNotFoundError();
  if (builtIn.has(id)) {
    throw new InvalidClientMetadataError('A built-in client is changed through configuration');
  }
  return id;
}
