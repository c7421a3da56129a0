// The OpenID provider of the test suite (tests/fixtures/oidc_provider.py starts it):
// the npm package oidc-provider on loopback, its development login form driven by the
// tests. Usage: PORT=… REDIRECT_URIS=a,b POST_LOGOUT_REDIRECT_URIS=c node provider.mjs
//
// Accounts (the login typed in the form is the account id and the `sub`):
//   lan        Nguyễn Thị Lan, secretariat group of Hà Nội
//   hung       Đặng Văn Hùng, technicians' group, with the sites of a `site_codes` claim
//   khach      Lê Văn Khách, only a group no rule maps
//   khoa       Trần Văn Khóa, disabled: the provider refuses him (access_denied)
// Clients (one secret for all, CLIENT_SECRET):
//   giaoban                   an honest relying party
//   giaoban-other-audience    its ID tokens name another audience (token substitution)
//   giaoban-several-audiences its ID tokens name it and another app, with azp the other app
import crypto from "node:crypto";

import Provider, { errors } from "oidc-provider";

const port = Number(process.env.PORT || 0);
if (!port) {
  console.error("PORT is required");
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const secret = process.env.CLIENT_SECRET || "test-client-secret";
const list = (name) => (process.env[name] || "").split(",").filter(Boolean);

const ACCOUNTS = {
  lan: {
    name: "Nguyễn Thị Lan",
    preferred_username: "lan.nt",
    email: "lan.nt@hanoi.gov.vn",
    email_verified: true,
    phone_number: "024 3825 1234",
    unit: "Văn phòng UBND thành phố Hà Nội",
    groups: ["giaoban-thuky-hanoi", "nhanvien"],
  },
  hung: {
    name: "Đặng Văn Hùng",
    preferred_username: "hung.dv",
    email: "hung.dv@hanoi.gov.vn",
    email_verified: true,
    phone_number: "0912 345 678",
    unit: "Trung tâm Chuyển đổi số Hà Nội",
    groups: ["giaoban-kythuat"],
    site_codes: ["HN-BD", "HN-HK"],
  },
  khach: {
    name: "Lê Văn Khách",
    preferred_username: "khach.lv",
    email: "khach.lv@example.vn",
    email_verified: true,
    groups: ["khach-moi"],
  },
  khoa: {
    name: "Trần Văn Khóa",
    preferred_username: "khoa.tv",
    email: "khoa.tv@hanoi.gov.vn",
    email_verified: true,
    groups: ["giaoban-thuky-hanoi"],
    disabled: true,
  },
};

// The key the provider signs with; kept here so the misbehaving clients' tokens can be
// signed again with the same key (their only fault is the audience).
const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = "giaoban-test-key";
const signingJwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };

const base64url = (value) => Buffer.from(value).toString("base64url");

function resign(jwt, change) {
  const [header, payload] = jwt.split(".");
  const claims = change(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  const input = `${header}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${crypto.sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

const AUDIENCE_FAULTS = {
  "giaoban-other-audience": (claims) => ({ ...claims, aud: ["another-app"], azp: "another-app" }),
  "giaoban-several-audiences": (claims) => ({
    ...claims,
    aud: [claims.aud, "another-app"],
    azp: "another-app",
  }),
};

const client = (clientId) => ({
  client_id: clientId,
  client_secret: secret,
  client_name: "Giao Ban",
  redirect_uris: list("REDIRECT_URIS"),
  post_logout_redirect_uris: list("POST_LOGOUT_REDIRECT_URIS"),
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_post",
});

const provider = new Provider(issuer, {
  clients: ["giaoban", ...Object.keys(AUDIENCE_FAULTS)].map(client),
  jwks: { keys: [signingJwk] },
  cookies: { keys: ["giaoban-test-cookie-key"] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
    phone: ["phone_number"],
    groups: ["groups"],
    giaoban: ["unit", "site_codes"],
  },
  scopes: ["openid", "email", "profile", "phone", "groups", "giaoban"],
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) {
      return undefined;
    }
    if (account.disabled) {
      // A disabled account is refused by the provider: the relying party receives
      // error=access_denied at its callback.
      throw new errors.AccessDenied("account disabled");
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
});

provider.use(async (ctx, next) => {
  await next();
  const fault = AUDIENCE_FAULTS[ctx.oidc?.client?.clientId];
  if (fault && ctx.path === "/token" && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token, fault) };
  }
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
