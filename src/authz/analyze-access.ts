import { createOperationCache } from '../shared/operation-cache';
import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { gatewayError } from '../errors';
import { collectSelections, type Conjunction, type SelectedField } from './collect-selections';
import { requirementIndex, type Requirement } from './requirements';

/** Who is asking, reduced to what the directives test. */
export interface AccessSubject {
  readonly authenticated: boolean;
  readonly scopes: ReadonlySet<string>;
  /** Result of `isIntrospectionAllowed` for this principal; absent = introspection denied. */
  readonly introspectionAllowed?: boolean;
}

export type DenialReason = 'unauthenticated' | 'missing_scopes' | 'policy_denied' | 'introspection_disabled';

export interface DeniedSelection {
  /** Response keys from the root, without list indices. */
  readonly path: readonly string[];
  /** "ParentType.field" as spelled in the operation (the innermost type condition). */
  readonly coordinate: string;
  readonly reason: DenialReason;
}

export interface AccessDecision {
  /** The outermost denied selections only: what lies below a denied field goes with it. */
  readonly denied: DeniedSelection[];
  /** Nothing denied. */
  readonly allowed: boolean;
}

export type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** The operation's selections with their requirements, compiled once and evaluated per request. */
export interface AccessPlan {
  readonly operation: OperationDefinitionNode;
  /** Unique policy names the selected fields mention, sorted: ask the policy function once about all. */
  policiesNeeded(variables: Variables): string[];
  /** The decision for one request. Missing policy answers count as denied. */
  decide(variables: Variables, subject: AccessSubject, policyAnswers?: ReadonlyMap<string, boolean>): AccessDecision;
  /** Declared type of the field at a response path (unique per path in a valid operation). */
  fieldType(path: readonly string[]): GraphQLOutputType | undefined;
}

export interface CompileOptions {
  /** Most fields the operation may select once fragments are expanded (default 50,000). */
  maxExpandedFields?: number;
}

export const defaultCompileOptions = { maxExpandedFields: 50_000 } satisfies Required<CompileOptions>;

const planCache = createOperationCache<GraphQLSchema, AccessPlan>();

/**
 * Compiles (or returns the cached plan for) one operation of a document against a schema. Throws
 * a gateway error BAD_REQUEST when the operation cannot be chosen, REQUEST_TOO_LARGE when the
 * expanded selection exceeds `maxExpandedFields`.
 */
export function compileAccessPlan(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  options: CompileOptions = {},
): AccessPlan {
  return planCache.get(schema, document, operationName, () =>
    buildPlan(schema, document, operationName, options.maxExpandedFields ?? defaultCompileOptions.maxExpandedFields),
  );
}

function buildPlan(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  maxExpandedFields: number,
): AccessPlan {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) throw gatewayError('BAD_REQUEST', 'The operation to run cannot be determined');
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const fields = collectSelections(schema, rootType, operation.selectionSet, fragments, maxExpandedFields);
  const index = requirementIndex(schema);
  const requirements = fields.map((f) => index.get(f.coordinate));
  const defaults = booleanDefaults(operation);
  const typesByPath = new Map(fields.map((f) => [f.path.join('.'), f.fieldType]));
  const hasPolicies = requirements.some((r) => r !== undefined && r.policies.length > 0);
  const checksNothing = fields.every((f, i) => requirements[i] === undefined && !f.introspection);

  const selected = (f: SelectedField, variables: Variables): boolean =>
    f.when === undefined || f.when.some((conj) => holds(conj, variables, defaults));

  return {
    operation,
    fieldType: (path) => typesByPath.get(path.join('.')),
    policiesNeeded(variables) {
      if (!hasPolicies) return [];
      const names = new Set<string>();
      for (let i = 0; i < fields.length; ) {
        if (!selected(fields[i], variables)) {
          i = fields[i].end;
          continue;
        }
        for (const clause of requirements[i]?.policies ?? []) for (const p of clause) names.add(p);
        i++;
      }
      return [...names].sort();
    },
    decide(variables, subject, policyAnswers = new Map()) {
      if (checksNothing) return { denied: [], allowed: true };
      const denied: DeniedSelection[] = [];
      // Per-call memo: the same coordinate often repeats; never kept beyond this request.
      const verdicts = new Map<Requirement, DenialReason | null>();
      for (let i = 0; i < fields.length; ) {
        const f = fields[i];
        if (!selected(f, variables)) {
          i = f.end;
          continue;
        }
        let reason: DenialReason | null = null;
        if (f.introspection) reason = subject.introspectionAllowed === true ? null : 'introspection_disabled';
        const r = requirements[i];
        if (reason === null && r !== undefined) {
          let v = verdicts.get(r);
          if (v === undefined) verdicts.set(r, (v = unmetReason(r, subject, policyAnswers)));
          reason = v;
        }
        if (reason !== null) {
          denied.push({ path: f.path, coordinate: f.coordinate, reason });
          i = f.end; // the subtree is removed with its field
          continue;
        }
        i++;
      }
      return { denied, allowed: denied.length === 0 };
    },
  };
}

/** Why `subject` fails `r`, or null when it satisfies it. */
export function unmetReason(r: Requirement, subject: AccessSubject, policyAnswers: ReadonlyMap<string, boolean>): DenialReason | null {
  if (r.authenticated && !subject.authenticated) return 'unauthenticated';
  if (r.scopes.length > 0 && !r.scopes.some((all) => all.every((s) => subject.scopes.has(s)))) return 'missing_scopes';
  if (r.policies.length > 0 && !r.policies.some((all) => all.every((p) => policyAnswers.get(p) === true))) {
    return 'policy_denied';
  }
  return null;
}

/**
 * A condition holds unless the variable is a boolean of the other value. A missing or non-boolean
 * value fails execution anyway; counting the field as selected keeps the check on the safe side.
 */
function holds(conj: Conjunction, variables: Variables, defaults: ReadonlyMap<string, boolean>): boolean {
  for (const c of conj) {
    let v = variables != null && Object.hasOwn(variables, c.name) ? variables[c.name] : undefined;
    if (v === undefined) v = defaults.get(c.name);
    if (typeof v === 'boolean' && v !== c.expect) return false;
  }
  return true;
}

function booleanDefaults(operation: OperationDefinitionNode): Map<string, boolean> {
  const defaults = new Map<string, boolean>();
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue?.kind === Kind.BOOLEAN) defaults.set(def.variable.name.value, def.defaultValue.value);
  }
  return defaults;
}
