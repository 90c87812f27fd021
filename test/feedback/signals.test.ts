import { describe, expect, it } from 'vitest';
import { addressKey, samplesFor, shortHash, toClientSignals } from '../../src/feedback/signals';

describe('samplesFor', () => {
  it('counts a request, its costs, each error kind once, and the probes', () => {
    const [own, ...rest] = samplesFor('c1', {
      estimatedCost: 40,
      actualCost: 12,
      errors: ['scope_denial', 'scope_denial', 'upstream_error'],
      introspection: true,
      suggestionProbe: true,
      operationId: 'Zq3o1mYc8UfA',
    });
    expect(rest).toEqual([]);
    expect(own.key).toBe('c1');
    expect(own.sample.counts).toEqual({
      requests: 1,
      estimatedCost: 40,
      actualCost: 12,
      scope_denial: 1,
      upstream_error: 1,
      introspection: 1,
      suggestion_probe: 1,
    });
    // Operation ids are short hashes already (request-state's operationIdOf): kept as they are.
    expect(own.sample.distinct).toEqual({ operations: 'Zq3o1mYc8UfA' });
  });

  it('also counts a failed authentication against the source address, by subject', () => {
    const samples = samplesFor('claimed-client', { errors: ['auth_failure'], sourceAddress: '10.0.0.1', failedSubject: 'alice' });
    expect(samples.map((s) => s.key)).toEqual(['claimed-client', 'anon:10.0.0.1']);
    expect(samples[1].sample).toEqual({ counts: { auth_failure: 1 }, distinct: { failedSubjects: shortHash('alice') } });
  });

  it('keeps one key for anonymous traffic (its client id is the address key)', () => {
    const samples = samplesFor(addressKey('10.0.0.2'), { errors: ['auth_failure'], sourceAddress: '10.0.0.2', failedSubject: 'bob' });
    expect(samples).toHaveLength(1);
    expect(samples[0].sample.distinct).toEqual({ failedSubjects: shortHash('bob') });
  });

  it('hashes members to a short bounded form', () => {
    expect(shortHash('x'.repeat(100_000))).toHaveLength(12);
    expect(shortHash('a')).not.toBe(shortHash('b'));
  });
});

describe('toClientSignals', () => {
  it('types a store reading, missing counters as 0', () => {
    const s = toClientSignals({ counts: { requests: 3, auth_failure: 2, suggestion_probe: 1 }, distinct: { operations: 2 } });
    expect(s).toMatchObject({ requests: 3, suggestionProbes: 1, distinctOperations: 2, distinctFailedSubjects: 0, actualCost: 0 });
    expect(s.errors).toEqual({ auth_failure: 2, scope_denial: 0, validation_error: 0, limit_rejection: 0, throttle: 0, upstream_error: 0 });
  });
});
