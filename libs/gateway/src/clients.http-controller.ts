import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  AuthPattern,
  ClientIdDto,
  ClientInformationView,
  ClientMetadataDto,
  RegisterClientCommand,
  UpdateClientCommand,
} from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { ApiAuthenticated, ApiProblems } from './docs/api-responses';

/**
 * The OAuth client registry, for administrators (role and scope `admin`); auth decides who may
 * use it. Metadata goes to auth as it came: auth validates it, so a bad value is answered with
 * RFC 7591 3.2.2's `invalid_client_metadata` or `invalid_redirect_uri` (400, with `error` and
 * `error_description` in the problem document).
 */
@ApiTags('admin')
@ApiAuthenticated()
@ApiProblems(403)
@Controller('v1/admin/clients')
export class ClientsHttpController {
  constructor(private readonly bus: MessageBus) {}

  /** Register a client (RFC 7591 3.1); the answer holds `client_secret`, shown this once. */
  // RFC 7591 3.2.1 and RFC 6749 5.1: an answer holding a client_secret is never cached.
  @Post()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiBody({ type: ClientMetadataDto })
  @ApiProblems(400, 413, 415)
  register(@Body() metadata: Record<string, unknown>): Promise<ClientInformationView> {
    const command: RegisterClientCommand = { metadata };
    return this.bus.send<ClientInformationView>(AuthPattern.RegisterClient, command);
  }

  /** Every client, the built-in ones first; never a secret. */
  @Get()
  list(): Promise<ClientInformationView[]> {
    return this.bus.send<ClientInformationView[]>(AuthPattern.ListClients, {});
  }

  /** One client; never its secret. */
  @Get(':id')
  @ApiProblems(400, 404)
  get(@Param() params: ClientIdDto): Promise<ClientInformationView> {
    return this.bus.send<ClientInformationView>(AuthPattern.GetClient, { id: params.id });
  }

  /** Change what the body names; the rest stays. A move to a secret-based method makes a secret. */
  @Patch(':id')
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiBody({ type: ClientMetadataDto })
  @ApiProblems(400, 404, 413, 415)
  update(
    @Param() params: ClientIdDto,
    @Body() metadata: Record<string, unknown>,
  ): Promise<ClientInformationView> {
    const command: UpdateClientCommand = { id: params.id, metadata };
    return this.bus.send<ClientInformationView>(AuthPattern.UpdateClient, command);
  }

  /** Delete a client: it cannot authenticate any more, and its sessions end. */
  @Delete(':id')
  @HttpCode(204)
  @ApiProblems(400, 404)
  async delete(@Param() params: ClientIdDto): Promise<void> {
    await this.bus.send(AuthPattern.DeleteClient, { id: params.id });
  }

  /** A new secret (in this answer only); the old one stops working at once. */
  @Post(':id/secret')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiProblems(400, 404)
  rotateSecret(@Param() params: ClientIdDto): Promise<ClientInformationView> {
    return this.bus.send<ClientInformationView>(AuthPattern.RotateClientSecret, { id: params.id });
  }
}
