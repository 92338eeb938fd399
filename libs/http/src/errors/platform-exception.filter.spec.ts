import { Controller, Get, LoggerService, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { validatePlatformEnv } from '@platform/config';
import { ErrorCode, ServiceError } from '@platform/contracts';
import { createHttpAdapter } from '../http-server';
import { PlatformExceptionFilter } from './platform-exception.filter';

const REASON = 'Token exchange failed: invalid_client';

@Controller()
class FailingController {
  @Get('internal')
  internal(): never {
    throw new ServiceError(ErrorCode.Internal, REASON);
  }

  /** As an error reply from another context reaches the gateway over the bus. */
  @Get('internal-reply')
  internalReply(): never {
    throw new RpcException(new ServiceError(ErrorCode.Internal, REASON).toReply());
  }

  @Get('unavailable')
  unavailable(): never {
    throw new ServiceError(ErrorCode.ServiceUnavailable, 'No service is answering users.user.get');
  }

  @Get('timeout')
  timeout(): never {
    throw new ServiceError(ErrorCode.ServiceTimeout, 'No reply from users.user.get in time');
  }

  @Get('not-found')
  notFound(): never {
    throw new ServiceError(ErrorCode.NotFound, 'Order 42 does not exist');
  }
}

@Module({
  controllers: [FailingController],
  providers: [{ provide: APP_FILTER, useClass: PlatformExceptionFilter }],
})
class FailingModule {}

/** Every line logged, with what came with it. */
class LogLines implements LoggerService {
  readonly lines: unknown[][] = [];
  log(...line: unknown[]): void {
    this.lines.push(line);
  }
  error(...line: unknown[]): void {
    this.lines.push(line);
  }
  warn(...line: unknown[]): void {
    this.lines.push(line);
  }
}

describe('PlatformExceptionFilter over HTTP', () => {
  let app: NestFastifyApplication;
  const logs = new LogLines();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FailingModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      createHttpAdapter(validatePlatformEnv({})),
      { logger: logs },
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json() };
  };

  it.each([
    ['/internal', 500, ErrorCode.Internal],
    ['/internal-reply', 500, ErrorCode.Internal],
    ['/unavailable', 503, ErrorCode.ServiceUnavailable],
    ['/timeout', 504, ErrorCode.ServiceTimeout],
  ])(
    'answers %s with a %s whose detail says nothing of what failed inside',
    async (url, status, code) => {
      const { status: answered, body } = await get(url);
      expect(answered).toBe(status);
      expect(body).toMatchObject({ status, code, detail: expect.any(String) });
      expect(body.detail).not.toMatch(/exchange|invalid_client|users\.user\.get/);
    },
  );

  it('logs what failed inside under the correlation id the answer carries', async () => {
    logs.lines.length = 0;
    const { body } = await get('/internal-reply');
    expect(JSON.stringify(logs.lines)).toContain(REASON);
    expect(logs.lines).toContainEqual(
      expect.arrayContaining([
        expect.objectContaining({ correlationId: body.correlationId, code: ErrorCode.Internal }),
      ]),
    );
  });

  it('keeps the detail of a client error: it tells the client what to change', async () => {
    const { status, body } = await get('/not-found');
    expect(status).toBe(404);
    expect(body.detail).toBe('Order 42 does not exist');
  });
});
