import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { validatePlatformEnv } from '@platform/config';
import { apiDocument } from '@platform/gateway';
import { createHttpAdapter } from '@platform/http';
import { PlatformModule } from './platform.module';

/**
 * The OpenAPI document is generated from the controllers, so it cannot miss a route's path; this
 * proves it against the routes Fastify actually serves in a gateway process. The schemas come
 * from the `@nestjs/swagger` compiler plugin at `nest build`, which the unit tier does not run:
 * the end-to-end suite checks those against the built platform.
 */
describe('the OpenAPI document', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'api-document-'));
  let app: NestFastifyApplication;
  const served: string[] = [];

  beforeAll(async () => {
    const env = validatePlatformEnv({
      SERVICES: 'gateway',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    const adapter = createHttpAdapter(env);
    adapter.getInstance().addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        // Fastify's wildcard is the document's `{path}` (path-to-regexp names it `*path`).
        const url = route.url.replace(/\/\*$/, '/:path');
        if (method !== 'HEAD' && method !== 'OPTIONS') served.push(`${method} ${url}`);
      }
    });
    app = await NestFactory.create<NestFastifyApplication>(PlatformModule.forRoot(env), adapter, {
      logger: false,
    });
    await app.init();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('documents every route the gateway serves, and nothing else', () => {
    const document = apiDocument(app, 'http://localhost:3000');
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(served.length).toBeGreaterThan(15);
    expect([...documented].sort()).toEqual([...new Set(served)].sort());
  });

  it('says who may call each API route: a credential, or nobody at all for public ones', () => {
    const document = apiDocument(app, 'http://localhost:3000');
    expect(document.paths['/v1/orders/{id}'].get!.security).toEqual([
      { bearer: [] },
      { 'api-token': [] },
      { 'legacy-basic': [] },
    ]);
    expect(document.paths['/v1/api-tokens'].post!.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/v1/auth/login'].post!.security).toBeUndefined();
    expect(Object.keys(document.components!.securitySchemes!).sort()).toEqual([
      'api-token',
      'bearer',
      'legacy-basic',
    ]);
  });
});
