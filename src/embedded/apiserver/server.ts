/**
 * The HTTP front: bearer-token authentication, top-level routing (version, health, discovery, OpenAPI,
 * resources) and turning thrown errors into Kubernetes Status answers.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { aggregated, aggregatedContentType, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { methodNotAllowed, pathNotFound, StatusError } from './errors.js';
import { authorizeRequest } from './authz.js';
import { handleResource, type StreamRegistry } from './handlers.js';
import { negotiate, sendJson, sendStatus } from './http.js';
import { openapiDoc, openapiIndex, openapiV2 } from './openapi.js';
import { OPENAPI_V2_PROTOBUF } from './openapi-v2-proto.js';
import { route, type Route } from './route.js';

/** What /version answers (kubectl's dispatcher picks kubectl.1.32 from `minor`). */
export function versionInfo(): unknown {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.0-tektite', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

const PUBLIC = new Set(['version', 'health']);

export function authorized(req: IncomingMessage, token: Buffer): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Bearer ')) return false;
  const given = Buffer.from(h.slice(7).trim());
  return given.length === token.length && timingSafeEqual(given, token);
}

const unauthorized = (): StatusError => new StatusError(401, 'Unauthorized', 'Unauthorized');

/** Routes a path; an unknown path answers 401 rather than 404 to a client without the token. */
function routeOrUnauthorized(pathname: string, req: IncomingMessage, token: Buffer): Route {
  try {
    return route(pathname);
  } catch (err) {
    if (!authorized(req, token)) throw unauthorized();
    throw err;
  }
}

/** Answers the non-resource routes; false when `r` is a resource route. */
function serveNonResource(req: IncomingMessage, res: ServerResponse, r: Route, address: string): boolean {
  const neg = negotiate(req);
  switch (r.type) {
    case 'version': sendJson(res, 200, versionInfo()); return true;
    case 'health':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return true;
    case 'api':
    case 'apis':
      if (neg.discovery) sendJson(res, 200, aggregated(r.type === 'api', neg.discovery), [], aggregatedContentType(neg.discovery));
      else sendJson(res, 200, r.type === 'api' ? apiVersions(address) : apiGroupList());
      return true;
    case 'apiGroup': return sendOr404(res, apiGroupDoc(r.group));
    case 'resourceList': return sendOr404(res, apiResourceList(r.group, r.version));
    case 'openapiIndex': sendJson(res, 200, openapiIndex()); return true;
    case 'openapiDoc': return sendOr404(res, openapiDoc(r.group, r.version));
    case 'openapiV2': {
      const v2 = openapiV2(req);
      if (v2.type === 'json') {
        sendJson(res, 200, v2.body);
        return true;
      }
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Content-Length': v2.body.byteLength, 'Cache-Control': 'no-cache, private' });
      res.end(v2.body);
      return true;
    }
    default: return false;
  }
}

function sendOr404(res: ServerResponse, body: unknown): true {
  if (body === undefined) throw pathNotFound();
  sendJson(res, 200, body);
  return true;
}

/** Builds the request listener. */
export function requestHandler(ctx: ServerContext, token: string, address: () => string, streams: StreamRegistry): (req: IncomingMessage, res: ServerResponse) => void {
  const tokenBuf = Buffer.from(token);
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const r = routeOrUnauthorized(url.pathname, req, tokenBuf);
      if (!PUBLIC.has(r.type) && !authorized(req, tokenBuf)) throw unauthorized();
      if (r.type !== 'resource') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '');
        serveNonResource(req, res, r, address());
        return;
      }
      const watch = url.searchParams.get('watch');
      authorizeRequest(ctx, req, r, watch === 'true' || watch === '1');
      await handleResource(ctx, req, res, r, url.searchParams, streams);
    })().catch((err: unknown) => {
      if (err instanceof StatusError) sendStatus(res, err.status);
      else sendStatus(res, new StatusError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`).status);
      if (!req.complete) req.resume();
    });
  };
}
