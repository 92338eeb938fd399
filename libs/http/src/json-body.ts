import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import { MAX_JSON_NESTING, nestsDeeperThan } from '@platform/contracts';

export const JSON_CONTENT_TYPE = 'application/json';

type BodyDone = (error: Error | null, parsed?: unknown) => void;

/**
 * The `application/json` parser: Fastify's own (`secure-json-parse`, refusing `__proto__` and
 * `constructor` keys), after one pass that refuses a body nested deeper than
 * `MAX_JSON_NESTING` with 400, as malformed. Parsing does not recurse, but what follows does:
 * validation, and serializing the body again for the context that handles it, where a few
 * thousand levels ran the process out of stack.
 */
export function jsonBodyParser(
  fastifyParser: FastifyBodyParser<string>,
): (request: FastifyRequest, body: Buffer, done: BodyDone) => void {
  return (request, body, done) => {
    const text = body.toString('utf8');
    if (nestsDeeperThan(text, MAX_JSON_NESTING)) {
      done(
        Object.assign(new Error(`Request body nests deeper than ${MAX_JSON_NESTING} levels`), {
          statusCode: 400,
        }),
      );
      return;
    }
    fastifyParser(request, text, done);
  };
}
