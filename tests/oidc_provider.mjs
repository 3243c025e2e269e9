// A real OpenID Connect provider on loopback for the single sign-on tests (tests/browser/test_single_sign_on.py):
// the npm oidc-provider package, with its development sign-in pages (any login name, no password).
//
//   node tests/oidc_provider.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{client_id, client_secret, redirect_uris}], "accounts": {login: claims}}.
// Prints {"issuer": "http://127.0.0.1:PORT"} once listening. PKCE is required of every client, so a relying
// party that does not send a code challenge is refused.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const server = createServer();
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    async findAccount(ctx, id) {
      const claims = config.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});
