import { describe, expect, it } from 'vitest';
import { answerConversionReview } from './review.js';

describe('answerConversionReview', () => {
  it('converts every object to the desired version and echoes the uid', () => {
    const out = answerConversionReview({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview',
      request: { uid: 'u1', desiredAPIVersion: 'tekton.dev/v1', objects: [{ apiVersion: 'tekton.dev/v1beta1', kind: 'PipelineRun', metadata: { name: 'a' }, spec: { serviceAccountName: 'sa', timeout: '1h' } }] },
    });
    expect(out).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview',
      response: { uid: 'u1', result: { status: 'Success' }, convertedObjects: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'a' }, spec: { timeouts: { pipeline: '1h' }, taskRunTemplate: { serviceAccountName: 'sa' } } }] },
    });
  });

  it('answers a Failure for a malformed request', () => {
    expect(answerConversionReview({ request: { uid: 'u2', objects: [] } })).toMatchObject({ response: { uid: 'u2', result: { status: 'Failure', message: 'request.desiredAPIVersion is missing' } } });
    expect(answerConversionReview({ request: { uid: 'u3', desiredAPIVersion: 'tekton.dev/v1', objects: [42] } })).toMatchObject({ response: { result: { status: 'Failure', message: 'request.objects[0] is not an object with apiVersion and kind' } } });
  });
});
