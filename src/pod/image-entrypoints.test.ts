import { describe, expect, it } from 'vitest';
import { builtinImageEntrypoints, imageCommand, repositoryOf } from './image-entrypoints.js';

describe('repositoryOf', () => {
  it.each([
    ['busybox', 'busybox'],
    ['busybox:1.36', 'busybox'],
    ['docker.io/library/busybox:1.36@sha256:abc', 'library/busybox'],
    ['localhost:5000/team/app:v1', 'team/app'],
    ['gcr.io/project/image', 'project/image'],
    ['python@sha256:abc', 'python'],
  ])('%s → %s', (image, repo) => expect(repositoryOf(image)).toBe(repo));
});

describe('builtinImageEntrypoints', () => {
  it.each([
    ['busybox', { cmd: ['sh'] }],
    ['docker.io/library/busybox:1.36@sha256:0123', { cmd: ['sh'] }],
    ['alpine:3.20', { cmd: ['/bin/sh'] }],
    ['ubuntu:24.04', { cmd: ['/bin/bash'] }],
    ['debian:bookworm-slim', { cmd: ['bash'] }],
    ['bash:5.2', { entrypoint: expect.arrayContaining(['docker-entrypoint.sh']), cmd: ['bash'] }],
    ['index.docker.io/library/python:3.12-slim', { cmd: ['python3'] }],
    ['node:20-alpine', { entrypoint: expect.arrayContaining(['docker-entrypoint.sh']), cmd: ['node'] }],
    ['perl:5.40', { cmd: ['perl'] }],
  ])('%s', (image, want) => expect(builtinImageEntrypoints(image)).toEqual(want));

  it('knows nothing about other images, even when the last path segment matches', () => {
    expect(builtinImageEntrypoints('cgr.dev/chainguard/busybox')).toBeUndefined();
    expect(builtinImageEntrypoints('example.com/app')).toBeUndefined();
    expect(builtinImageEntrypoints('constructor')).toBeUndefined();
  });

  it('returns copies', () => {
    const a = builtinImageEntrypoints('busybox');
    a?.cmd?.push('x');
    expect(builtinImageEntrypoints('busybox')).toEqual({ cmd: ['sh'] });
  });
});

describe('imageCommand (Tekton rule)', () => {
  it('appends CMD to ENTRYPOINT only without args', () => {
    const info = { entrypoint: ['/entry'], cmd: ['--default'] };
    expect(imageCommand(info, [])).toEqual(['/entry', '--default']);
    expect(imageCommand(info, ['--mine'])).toEqual(['/entry', '--mine']);
  });

  it('runs CMD even when args are given if there is no ENTRYPOINT', () => {
    expect(imageCommand({ cmd: ['sh'] }, ['-c', 'echo hi'])).toEqual(['sh', '-c', 'echo hi']);
  });

  it('has no command when the image has neither', () => {
    expect(imageCommand({}, ['x'])).toBeUndefined();
    expect(imageCommand({ entrypoint: [], cmd: [] }, [])).toBeUndefined();
  });
});

describe('docker-entrypoint.sh emulation', () => {
  const run = (image: string, args: string[]): string[] => {
    const info = builtinImageEntrypoints(image)!;
    return imageCommand(info, args)!;
  };
  it('bash runs plain args as a command and puts bash before flags', () => {
    const cmd = run('bash', ['echo', 'hi']);
    expect(cmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(cmd.slice(-2)).toEqual(['echo', 'hi']);
    expect(run('bash', []).slice(-1)).toEqual(['bash']);
  });
});
