// A real OpenID provider for the tests: the certified `oidc-provider` package (node_modules),
// run with Node 20 by the `oidc_provider` fixture (tests/oidc/conftest.py).
//
//   node tests/oidc/provider.mjs <port> <redirect_uri> <post_logout_redirect_uri>
//
// Two clients (one per organisation configured in WEL), test users with claims, and a small
// login page of its own (the interaction) where a user name is typed and "second factor used"
// ticked or not: that sets the `acr`/`amr` claims of the ID token, as an organisation's
// Entra ID does after its own MFA.
//
// For the refusal tests only, POST /_test/tamper {"aud": ..., "iss": ..., "exp_offset": ...}
// makes the next token response carry an ID token re-signed with the provider's own key but
// with a wrong audience, another issuer or an expiry in the past: a correctly signed token
// that WEL must still refuse. POST /_test/tamper {} switches it off.
import http from 'node:http';
import { URL } from 'node:url';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const USERS = {
  // e-mail vouched for by the provider: linked to the existing WEL account with that address
  anna: {
    email: 'anna.oidc@gemeente.example', email_verified: true, name: 'Anna Gemeente',
    groups: ['wel-lpa-noord'],
  },
  // an unverified e-mail: must never be linked by it
  bert: {
    email: 'bert.oidc@gemeente.example', email_verified: false, name: 'Bert Onbevestigd',
    groups: [],
  },
  // verified, but no WEL account and no mapped group
  carla: {
    email: 'carla.oidc@swv.example', email_verified: true, name: 'Carla Samenwerking',
    groups: ['iets-anders'],
  },
  // verified, no WEL account yet, in a mapped group (an account is created when allowed)
  dirk: {
    email: 'dirk.oidc@swv.example', email_verified: true, name: 'Dirk Nieuw',
    groups: ['wel-kartrekker-noord'],
  },
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const clients = ['wel-gemeente', 'wel-swv'].map((clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  redirect_uris: [redirectUri],
  post_logout_redirect_uris: [postLogoutUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [privateJwk] },
  findAccount: async (ctx, id) => {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      claims: async () => ({ sub: id, ...user }),
    };
  },
  claims: {
    auth_time: null,
    iss: null,
    sid: null,
    // acr and amr in every ID token, as an organisation's Entra ID sends them
    openid: ['sub', 'acr', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  acrValues: ['urn:wel:test:pwd', 'urn:wel:test:mfa'],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['test-cookie-key'] },
  pkce: { required: () => false },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<h1>Provider error</h1><pre id="error">${out.error}: ${out.error_description || ''}</pre>`;
  },
});

let tamper = {};
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token && Object.keys(tamper).length) {
    const claims = jose.decodeJwt(ctx.body.id_token);
    if (tamper.aud) claims.aud = tamper.aud;
    if (tamper.iss) claims.iss = tamper.iss;
    if (tamper.exp_offset) {
      const now = Math.floor(Date.now() / 1000);
      claims.exp = now + tamper.exp_offset;
      claims.iat = claims.exp - 600;
    }
    ctx.body = {
      ...ctx.body,
      id_token: await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
        .sign(privateKey),
    };
  }
});

const page = (body) => `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Test provider</title></head><body>${body}</body></html>`;

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  if (prompt.name === 'login' && req.method === 'GET') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page(`<h1>Test provider ${issuer}</h1><p>client: <span id="client">${params.client_id}</span></p>
      <form method="post" action="/interaction/${uid}/login">
        <label>Gebruiker <input name="login" id="login" autofocus></label>
        <label><input type="checkbox" name="mfa" id="mfa" value="1"> tweede factor gebruikt</label>
        <button type="submit" id="submit">Inloggen bij de organisatie</button>
      </form>`));
    return;
  }
  if (prompt.name === 'login' && action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') || '';
    if (!USERS[login]) {
      res.statusCode = 400;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page(`<p id="error">Unknown test user</p>`));
      return;
    }
    const mfa = form.get('mfa') === '1';
    await provider.interactionFinished(req, res, {
      login: {
        accountId: login,
        acr: mfa ? 'urn:wel:test:mfa' : 'urn:wel:test:pwd',
        amr: mfa ? ['pwd', 'otp', 'mfa'] : ['pwd'],
      },
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    // The organisation's own apps need no consent screen: grant what was asked.
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    if (missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 400;
  res.end(`unexpected prompt ${prompt.name}`);
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
    if (match) {
      await interaction(req, res, match[1], match[2]);
      return;
    }
    if (url.pathname === '/_test/tamper' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      tamper = raw ? JSON.parse(raw) : {};
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(tamper));
      return;
    }
    callback(req, res);
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
}).listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc test provider listening on ${issuer}`);
});
