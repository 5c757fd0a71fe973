// A real OpenID Connect provider on 127.0.0.1 for the sign-in tests (panva's oidc-provider).
//
// Started by tests/ui/oidc.py: `node provider.js` with the client in the environment
// (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI; OIDC_ID_TOKEN_TTL in seconds,
// default 3600). It listens on a free loopback port and prints one JSON line,
// {"issuer": ..., "port": ...}, once /.well-known/openid-configuration answers.
//
// The accounts are users.json (login or e-mail + password). The login form is this file's
// own minimal interaction rather than oidc-provider's devInteractions, which accept any
// name without a password: here a wrong password is refused, as a real provider would.
// Streamlit asks for prompt=select_account, so that prompt is registered and answered by
// the same form; consent is granted for the one first-party client (loadExistingGrant),
// as a company IdP does for its own apps. Claims (email, email_verified, name) go into
// the ID token itself (conformIdTokenClaims: false): Streamlit reads st.user from it.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new Error(`${name} is not set`);
    return fallback;
  }
  return value;
};

const clientId = env('OIDC_CLIENT_ID');
const clientSecret = env('OIDC_CLIENT_SECRET');
const redirectUri = env('OIDC_REDIRECT_URI');
const idTokenTtl = Number(env('OIDC_ID_TOKEN_TTL', '3600'));
const users = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const findUser = (name) => users.find(
  (u) => u.login === name || u.email.toLowerCase() === String(name).toLowerCase(),
);

const page = (title, body) => `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

function loginForm(uid, clientName, error) {
  return page('Test identity provider', `
<p>Sign in to ${escape(clientName)}</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
  <label>E-mail <input name="login" type="text" required></label>
  <label>Password <input name="password" type="password" required></label>
  <button type="submit">Continue</button>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Cancel</a></p>`);
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    client_name: 'Interview Kit (tests)',
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  ttl: {
    AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: idTokenTtl,
    Interaction: 600, Session: 3600,
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the test identity provider', `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', ''); },
    },
  },
  async findAccount(ctx, sub) {
    const user = findUser(sub);
    if (!user) return undefined;
    return {
      accountId: user.login,
      async claims() {
        return {
          sub: user.login, email: user.email, email_verified: user.email_verified, name: user.name,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', Object.entries(out)
      .map(([key, value]) => `<p>${escape(key)}: ${escape(value)}</p>`).join(''));
  },
  clientBasedCORS: () => false,
};

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10_000) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function html(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return html(res, 400, page('Sign-in error', '<p>Stale sign-in.</p>'));
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName || details.params.client_id;
  if (action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'GET') return html(res, 200, loginForm(uid, clientName));
  const form = await readForm(req);
  const user = findUser(form.get('login') || '');
  if (!user || user.password !== form.get('password')) {
    return html(res, 401, loginForm(uid, clientName, 'Wrong e-mail or password.'));
  }
  return provider.interactionFinished(req, res, {
    select_account: {}, login: { accountId: user.login },
  }, { mergeWithLastSubmission: false });
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(req.url.split('?')[0]);
    if (!match) return callback(req, res);
    return interaction(provider, req, res, match[1], match[2]).catch((error) => {
      html(res, 400, page('Sign-in error', `<p>${escape(error.message)}</p>`));
    });
  });
  fetch(`${issuer}/.well-known/openid-configuration`).then((r) => {
    if (!r.ok) throw new Error(`discovery answered ${r.status}`);
    process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
  }).catch((error) => {
    process.stderr.write(`provider failed to start: ${error.message}\n`);
    process.exit(1);
  });
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
