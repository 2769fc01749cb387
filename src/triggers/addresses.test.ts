import { describe, expect, it } from 'vitest';
import type { EventListener } from '../api/types.js';
import { parseElPorts, parseInterceptorTimeout, parsePortRange } from '../cli/el-addresses.js';
import { automaticPort, fixedPort } from './addresses.js';

const el = (name: string, servicePort?: number): EventListener => ({
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace: 'ns' },
  spec: { triggers: [], ...(servicePort ? { resources: { kubernetesResource: { servicePort } } } : {}) },
} as EventListener);

describe('sink port choice', () => {
  it('a flag (namespace/name before name) beats servicePort; nothing fixed otherwise', () => {
    expect(fixedPort(el('a', 9000), { ports: { a: 8080, 'ns/a': 8081 } })).toEqual({ port: 8081, source: 'flag' });
    expect(fixedPort(el('a', 9000), { ports: { a: 8080 } })).toEqual({ port: 8080, source: 'flag' });
    expect(fixedPort(el('a', 9000), {})).toEqual({ port: 9000, source: 'servicePort' });
    expect(fixedPort(el('a'), { ports: { b: 1 } })).toBeUndefined();
  });
  it('remembered, else the first range port nobody holds, else ephemeral', () => {
    const remembered = new Map([['ns/a', 8085], ['ns/b', 8080]]);
    const range = { portRange: { from: 8080, to: 8082 } };
    expect(automaticPort('ns/a', remembered, range, new Set())).toEqual({ port: 8085, source: 'remembered' });
    expect(automaticPort('ns/c', remembered, range, new Set([8081]))).toEqual({ port: 8082, source: 'range' });
    expect(automaticPort('ns/c', remembered, range, new Set([8081, 8082]))).toEqual({ port: 0, source: 'ephemeral' });
    expect(automaticPort('ns/c', new Map(), {}, new Set())).toEqual({ port: 0, source: 'ephemeral' });
  });
});

describe('flag parsing', () => {
  it('parses --el-port, --el-port-range and --interceptor-timeout, naming the flag on bad input', () => {
    expect(parseElPorts(['a=8080', 'ns/b=9090'])).toEqual({ a: 8080, 'ns/b': 9090 });
    expect(() => parseElPorts(['a'])).toThrow(/--el-port "a": expected NAME=PORT/);
    expect(() => parseElPorts(['a=70000'])).toThrow(/expected a port 1-65535/);
    expect(parsePortRange('8080-8099')).toEqual({ from: 8080, to: 8099 });
    expect(() => parsePortRange('9-1')).toThrow(/FROM must not be above TO/);
    expect(() => parsePortRange('x')).toThrow(/expected FROM-TO/);
    expect(parseInterceptorTimeout('1500ms')).toBe(1500);
    expect(parseInterceptorTimeout(undefined)).toBeUndefined();
    expect(() => parseInterceptorTimeout('0')).toThrow(/positive duration/);
  });
});
