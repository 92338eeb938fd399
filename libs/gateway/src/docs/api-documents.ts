import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldProblem, ProblemDocument } from './problem-document.view';

/**
 * The OpenAPI 3.1 document of the gateway's routes: request and response schemas from the
 * contract DTOs (the `@nestjs/swagger` compiler plugin reads their class-validator decorators
 * and doc comments at build time), the problem documents each route may answer with, and the
 * security schemes it accepts. Health and metrics belong to every process, not to the API.
 */
export function apiDocument(app: INestApplication, issuer: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Identity platform')
    .setDescription(
      'Authentication and authorization for microservices. Errors are RFC 9457 problem ' +
        'details with a stable `code`; limited routes answer `RateLimit-*` headers and 429 ' +
        'with `Retry-After`. The NATS subjects behind these routes are in the AsyncAPI document.',
    )
    .setVersion('0.1.0')
    .addServer(issuer)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An RFC 9068 access token (JWT)' },
      'bearer',
    )
    .addSecurity('api-token', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'pat_',
      description: 'An API token (`pat_...`, `POST /v1/api-tokens`), sent as a bearer token',
    })
    .addSecurity('legacy-basic', {
      type: 'http',
      scheme: 'basic',
      description: 'A configured legacy client (`LEGACY_CLIENTS`); off unless configured',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDocument, FieldProblem],
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/HttpController$/, '')}_${methodKey}`,
  });
  return withoutUnusedSchemas(document);
}

/**
 * The document with only the schemas its operations reach. `@nestjs/swagger` explores the
 * parameters of every controller method, message handlers' `@Payload()`s included, and keeps
 * their types though only routes make it into the paths: the contracts' message payloads
 * (NATS, described in the AsyncAPI document) would otherwise become a third party's classes.
 */
function withoutUnusedSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const reached = new Set<string>();
  const pending = [JSON.stringify(document.paths)];
  for (let text = pending.pop(); text !== undefined; text = pending.pop()) {
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (reached.has(name) || !(name in schemas)) continue;
      reached.add(name);
      pending.push(JSON.stringify(schemas[name]));
    }
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
  return document;
}

/** Serves the document at `GET /docs-json` and its UI at `GET /docs`. */
export function serveApiDocuments(app: INestApplication, issuer: string): void {
  SwaggerModule.setup('docs', app, () => apiDocument(app, issuer), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    ui: true,
  });
}
