/**
 * The CRD conversion webhook's work as data: a `apiextensions.k8s.io/v1` ConversionReview request answered with
 * every object converted by {@link convertObject}. Pure; the HTTPS server around it lives with `tkt webhook`.
 */
import { convertObject } from './index.js';
import { isObj } from './util.js';

/** The parts of a ConversionReview this reads. */
export interface ConversionReview {
  apiVersion?: string;
  kind?: string;
  request?: { uid?: string; desiredAPIVersion?: string; objects?: unknown[] };
}

/** The ConversionReview to send back: converted objects, or a Failure naming what was wrong. */
export function answerConversionReview(review: ConversionReview): Record<string, unknown> {
  const req = review.request;
  const uid = typeof req?.uid === 'string' ? req.uid : '';
  const head = { apiVersion: review.apiVersion ?? 'apiextensions.k8s.io/v1', kind: 'ConversionReview' };
  const fail = (message: string) => ({ ...head, response: { uid, convertedObjects: [], result: { status: 'Failure', message } } });
  if (!req || typeof req.desiredAPIVersion !== 'string' || req.desiredAPIVersion === '') return fail('request.desiredAPIVersion is missing');
  const objects = Array.isArray(req.objects) ? req.objects : [];
  const bad = objects.findIndex((o) => !isObj(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string');
  if (bad >= 0) return fail(`request.objects[${bad}] is not an object with apiVersion and kind`);
  const to = req.desiredAPIVersion;
  const convertedObjects = objects.map((o) => convertObject(o as { apiVersion: string; kind: string }, to));
  return { ...head, response: { uid, convertedObjects, result: { status: 'Success' } } };
}
