import { describe, expect, it } from 'vitest';
import type { DeniedSelection } from '../../src/authz/analyze-access';
import { rejectOperation, withDryRunReport } from '../../src/authz/denial-report';
import type { DenialsIn } from '../../src/authz/options';

const denied: DeniedSelection[] = [
  { path: ['owners', 'email'], coordinate: 'Owner.email', reason: 'missing_scopes' },
  { path: ['pals', 'notes'], coordinate: 'Dog.notes', reason: 'missing_scopes' },
  { path: ['pals', 'notes'], coordinate: 'Cat.notes', reason: 'missing_scopes' },
  { path: ['__schema'], coordinate: 'Query.__schema', reason: 'introspection_disabled' },
];

const codes = (errors: ReadonlyArray<{ extensions: Record<string, unknown>; path?: ReadonlyArray<string | number> }> = []) =>
  errors.map((e) => [e.extensions.code, (e.extensions.http as { status: number }).status, e.path?.join('.')]);

describe('rejectOperation', () => {
  it.each<[DenialsIn, unknown[], boolean]>([
    [
      'errors',
      [
        ['UNAUTHORIZED_FIELD_OR_TYPE', 403, 'owners.email'],
        ['UNAUTHORIZED_FIELD_OR_TYPE', 403, 'pals.notes'],
        ['INTROSPECTION_DISABLED', 403, '__schema'],
      ],
      false,
    ],
    ['extensions', [['UNAUTHORIZED_FIELD_OR_TYPE', 403, undefined]], true],
    ['none', [['UNAUTHORIZED_FIELD_OR_TYPE', 403, undefined]], false],
  ])('denialsIn %s', (denialsIn, expected, reported) => {
    const result = rejectOperation(denied, denialsIn);
    expect(result.data).toBeUndefined();
    expect(codes(result.errors)).toEqual(expected);
    expect(result.extensions?.authorization !== undefined).toBe(reported);
  });
});

describe('withDryRunReport', () => {
  it('leaves data and errors alone and reports one entry per path', () => {
    const result = withDryRunReport({ data: { a: 1 } }, denied);
    expect(result.data).toEqual({ a: 1 });
    expect(result.errors).toBeUndefined();
    expect(result.extensions).toEqual({
      authorization: {
        dryRun: true,
        denied: [
          { path: ['owners', 'email'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
          { path: ['pals', 'notes'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
          { path: ['__schema'], code: 'INTROSPECTION_DISABLED' },
        ],
      },
    });
  });

  it('returns the result itself when nothing would be denied', () => {
    const result = { data: { a: 1 } };
    expect(withDryRunReport(result, [])).toBe(result);
  });
});
