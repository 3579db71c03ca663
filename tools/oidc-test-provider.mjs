// A real OpenID provider (the npm package oidc-provider) for Hookline's tests, on loopback only.
//
//   node tools/oidc-test-provider.mjs <port> <private JWKS file> <clients JSON file>
//
// Issuer http://127.0.0.1:<port>; keys: the private JWKS in the file (the first signs, every key is
// published at /jwks), so a test rotates keys by restarting it with another file. Only the
// client-credentials grant; its access tokens are RS256 JWTs for the audience "hookline-api" with
// the scope granted and the client's "portal" claim. The clients file is a list of
// {"client_id", "client_secret", "scope", "portal"}. Prints "ready <issuer>" once it listens; stops
// on SIGTERM or when its stdin closes (the test JVM died).
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, keysFile, clientsFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const audience = 'hookline-api';
// The resource indicator tokens are issued for (a URI, as RFC 8707 wants); their aud is the audience.
const resource = 'urn:hookline:api';
const jwks = JSON.parse(readFileSync(keysFile, 'utf8'));
const clients = JSON.parse(readFileSync(clientsFile, 'utf8'));
const portals = new Map(clients.map((c) => [c.client_id, c.portal]));
const scopes = [...new Set(clients.flatMap((c) => c.scope.split(' ')))];

const provider = new Provider(issuer, {
  jwks,
  cookies: { keys: ['hookline-test-only'] },
  scopes,
  clients: clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
    scope: c.scope,
  })),
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        audience,
        scope: scopes.join(' '),
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (ctx, token) => ({ portal: portals.get(token.clientId) }),
});

const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
