import { describe, expect, it } from 'vitest';
import { dockerAuths } from './pull-secrets.js';

const data = (key: string, value: unknown): Map<string, Buffer> => new Map([[key, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))]]);

describe('dockerAuths', () => {
  it('reads the auths of a dockerconfigjson Secret and the entries of a dockercfg Secret', () => {
    expect(dockerAuths(data('.dockerconfigjson', { auths: { 'reg.io': { auth: 'dTpw' } } }))).toEqual({ 'reg.io': { auth: 'dTpw' } });
    expect(dockerAuths(data('.dockercfg', { 'old.io': { auth: 'b2xk' } }))).toEqual({ 'old.io': { auth: 'b2xk' } });
  });
  it('gives nothing for other Secrets and for malformed JSON', () => {
    expect(dockerAuths(data('username', 'u'))).toEqual({});
    expect(dockerAuths(data('.dockerconfigjson', '{not json'))).toEqual({});
    expect(dockerAuths(data('.dockerconfigjson', { notAuths: 1 }))).toEqual({});
  });
});
