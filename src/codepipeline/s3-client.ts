/**
 * A tiny S3 client the gate projects run with node (the gate image has node and nothing AWS):
 * GetObject and PutObject over HTTPS, signed with AWS Signature Version 4 using the build's role
 * (CodeBuild serves it like ECS: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on 169.254.170.2).
 *
 * Usage (the gate script writes this file with a quoted heredoc, so it is shell-safe as is):
 *   node s3.js get <url> <file>                  download an object (exit 2 on any error)
 *   node s3.js put <url> <file> <content-type>   upload a file (exit 2 on any error)
 *   node s3.js get-or <url> <file> <content>     download an object, or write <content> when the
 *                                                 object is absent (404, or 403 AccessDenied: what
 *                                                 S3 answers for a missing key to a role without
 *                                                 s3:ListBucket); exit 2 on any other error
 *
 * Credentials, in order: `AWS_CONTAINER_CREDENTIALS_FULL_URI` (with
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN`), `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, then
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`. Region: `GATEHOUSE_REGION`,
 * then `AWS_REGION`. Required by `require()`, it exports `sign` (tested against the AWS examples).
 */
export const S3_CLIENT_JS = String.raw`"use strict";
const crypto = require("crypto");
const fs = require("fs");
const hex = (d) => crypto.createHash("sha256").update(d).digest("hex");
const hmac = (k, d) => crypto.createHmac("sha256", k).update(d).digest();
// S3 path encoding: every byte but unreserved characters and "/"
const encodePath = (p) => p.split("/").map((s) => encodeURIComponent(decodeURIComponent(s)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())).join("/");

/** Signature Version 4 headers for one request (no query string). */
function sign(req, creds, region, date) {
  const amzDate = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers || {})) headers[k.toLowerCase()] = String(v).trim();
  headers.host = req.host;
  headers["x-amz-date"] = amzDate;
  headers["x-amz-content-sha256"] = req.payloadHash;
  if (creds.token) headers["x-amz-security-token"] = creds.token;
  const names = Object.keys(headers).sort();
  const canonical = [req.method, req.path, "", names.map((n) => n + ":" + headers[n] + "\n").join(""), names.join(";"), req.payloadHash].join("\n");
  const scope = day + "/" + region + "/s3/aws4_request";
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, hex(canonical)].join("\n");
  let key = hmac("AWS4" + creds.secret, day);
  for (const part of [region, "s3", "aws4_request"]) key = hmac(key, part);
  headers.authorization = "AWS4-HMAC-SHA256 Credential=" + creds.id + "/" + scope + ",SignedHeaders=" + names.join(";") + ",Signature=" + crypto.createHmac("sha256", key).update(toSign).digest("hex");
  delete headers.host;
  return headers;
}

async function credentials() {
  const env = process.env;
  let uri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!uri && env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) uri = "http://169.254.170.2" + env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  if (uri) {
    const headers = env.AWS_CONTAINER_AUTHORIZATION_TOKEN ? { authorization: env.AWS_CONTAINER_AUTHORIZATION_TOKEN } : {};
    const res = await fetch(uri, { headers });
    if (!res.ok) throw new Error("the container credentials endpoint answered " + res.status);
    const c = await res.json();
    return { id: c.AccessKeyId, secret: c.SecretAccessKey, token: c.Token };
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { id: env.AWS_ACCESS_KEY_ID, secret: env.AWS_SECRET_ACCESS_KEY, token: env.AWS_SESSION_TOKEN };
  }
  throw new Error("no AWS credentials: run in CodeBuild (container credentials) or set AWS_ACCESS_KEY_ID");
}

async function request(method, url, body, contentType) {
  const u = new URL(url);
  const region = process.env.GATEHOUSE_REGION || process.env.AWS_REGION;
  if (!region) throw new Error("no region: set GATEHOUSE_REGION or AWS_REGION");
  const creds = await credentials();
  const path = encodePath(u.pathname);
  const extra = contentType ? { "content-type": contentType } : {};
  for (let attempt = 1; ; attempt++) {
    const headers = sign({ method, host: u.host, path, headers: extra, payloadHash: body ? hex(body) : "UNSIGNED-PAYLOAD" }, creds, region, new Date());
    let res;
    try {
      res = await fetch(u.protocol + "//" + u.host + path, { method, headers, body });
    } catch (e) {
      if (attempt < 3) continue;
      throw e;
    }
    if (res.ok) return Buffer.from(await res.arrayBuffer());
    const text = (await res.text()).slice(0, 300);
    if (res.status >= 500 && attempt < 3) continue;
    const err = new Error(method + " " + u.host + path + " answered " + res.status + ": " + text);
    err.absent = res.status === 404 || (res.status === 403 && /<Code>AccessDenied<\/Code>/.test(text));
    throw err;
  }
}

async function main(argv) {
  const [mode, url, file, extra] = argv;
  if (mode === "get" && url && file) {
    fs.writeFileSync(file, await request("GET", url), { mode: 0o400 });
  } else if (mode === "get-or" && url && file && extra !== undefined) {
    let body;
    try {
      body = await request("GET", url);
    } catch (e) {
      if (!e.absent) throw e;
      console.error("gatehouse: s3: " + new URL(url).pathname + " is absent (or not readable by this role): starting from " + extra);
      body = Buffer.from(extra);
    }
    fs.writeFileSync(file, body, { mode: 0o400, flag: "wx" });
  } else if (mode === "put" && url && file) {
    await request("PUT", url, fs.readFileSync(file), extra || "application/octet-stream");
  } else {
    throw new Error("usage: s3.js get <url> <file> | get-or <url> <file> <content> | put <url> <file> <content-type>");
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error("gatehouse: s3: " + e.message);
    process.exit(2);
  });
} else {
  module.exports = { sign, encodePath };
}
`;
