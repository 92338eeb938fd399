// The peer for bench/oauth-token.bench.mjs: oidc-provider, the reference Node.js authorization
// server, configured for what the platform's token endpoint is measured on: client_credentials
// with client_secret_basic, RFC 9068 JWT access tokens (its resource indicators feature) for
// one resource server, signed RS256 with a 2048-bit key. Its default in-memory adapter keeps no
// record of a JWT access token, where the platform writes one per token.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const PORT = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${PORT}`;
// RS256 with a 2048-bit key, as the platform signs by default; BENCH_ALG=EdDSA for Ed25519.
const alg = process.env.BENCH_ALG === 'EdDSA' ? 'EdDSA' : 'RS256';
const { privateKey } =
  alg === 'EdDSA'
    ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg, use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.BENCH_CLIENT_ID,
      client_secret: process.env.BENCH_CLIENT_SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'orders:read',
      // Its default (RS256) would need an RSA key in the set even where none signs.
      id_token_signed_response_alg: alg,
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ['orders:read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:identity-platform:service:orders',
      getResourceServerInfo: () => ({
        scope: 'orders:read',
        audience: 'orders',
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg } },
      }),
    },
  },
});
const callback = provider.callback();

const server = createServer((request, response) => {
  // Answers like the platform's readiness probe, so the bench waits for every target alike.
  if (request.url === '/health/ready') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  callback(request, response);
});
const close = () => server.close(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
server.listen(PORT, '127.0.0.1');
