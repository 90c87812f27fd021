import {
  Kind,
  parse,
  print,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
} from 'graphql';

/** Directives a policy file may attach; anything else is a mistake worth stopping for. */
export const policyDirectiveNames = ['authenticated', 'requiresScopes', 'policy', 'cost', 'listSize'] as const;

export class PolicyCompositionError extends Error {
  constructor(
    message: string,
    /** The coordinates ("Type" or "Type.field") the policy file names that the schema lacks. */
    readonly coordinates: string[],
  ) {
    super(message);
    this.name = 'PolicyCompositionError';
  }
}

type TypeWithFields = { name: { value: string }; fields?: readonly FieldDefinitionNode[]; directives?: readonly DirectiveNode[] };

/**
 * Attaches the directives of a policy SDL file (`extend type X @d { f: T @d }`) to the composed
 * supergraph. Only directives are taken: the field types written in the policy file are there
 * for readability and are ignored, so a policy file can never add or change a field. A type or
 * field the supergraph does not have fails the merge with its coordinate, instead of silently
 * inventing a new, broken field.
 */
export function applyPolicySdl(supergraphSdl: string, policySdl: string, policySource = 'policy SDL'): string {
  const supergraph = parse(supergraphSdl);
  let policy: DocumentNode;
  try {
    policy = parse(policySdl);
  } catch (error) {
    throw new PolicyCompositionError(`${policySource}: ${(error as Error).message}`, []);
  }
  const typesByName = new Map<string, { index: number; node: TypeWithFields }>();
  supergraph.definitions.forEach((definition, index) => {
    if (hasFields(definition)) {
      const node = definition as unknown as TypeWithFields;
      typesByName.set(node.name.value, { index, node });
    }
  });

  const missing: string[] = [];
  const unknownDirectives: string[] = [];
  const definitions = [...supergraph.definitions];
  for (const extension of policy.definitions) {
    if (extension.kind !== Kind.OBJECT_TYPE_EXTENSION && extension.kind !== Kind.INTERFACE_TYPE_EXTENSION) {
      throw new PolicyCompositionError(`${policySource}: only "extend type" and "extend interface" are allowed, found ${extension.kind}`, []);
    }
    const typeName = extension.name.value;
    const target = typesByName.get(typeName);
    if (!target) {
      missing.push(typeName);
      continue;
    }
    checkDirectives(extension.directives ?? [], typeName, unknownDirectives);
    const fieldDirectives = new Map<string, readonly DirectiveNode[]>();
    for (const field of extension.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      if (!target.node.fields?.some((f) => f.name.value === field.name.value)) missing.push(coordinate);
      checkDirectives(field.directives ?? [], coordinate, unknownDirectives);
      fieldDirectives.set(field.name.value, field.directives ?? []);
    }
    const current = definitions[target.index] as TypeWithFields;
    const updated: TypeWithFields = {
      ...current,
      directives: [...(current.directives ?? []), ...(extension.directives ?? [])],
      fields: current.fields?.map((f) =>
        fieldDirectives.has(f.name.value)
          ? ({ ...f, directives: [...(f.directives ?? []), ...fieldDirectives.get(f.name.value)!] } as FieldDefinitionNode)
          : f,
      ),
    };
    definitions[target.index] = updated as unknown as DefinitionNode;
    target.node = updated;
  }
  if (missing.length > 0) {
    throw new PolicyCompositionError(`${policySource} names what the composed schema does not have: ${missing.join(', ')}`, missing);
  }
  if (unknownDirectives.length > 0) {
    throw new PolicyCompositionError(`${policySource} uses directives loopgate does not know: ${unknownDirectives.join(', ')}`, []);
  }
  return print({ ...supergraph, definitions });
}

function hasFields(definition: DefinitionNode): boolean {
  return definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION;
}

function checkDirectives(directives: readonly DirectiveNode[], where: string, unknown: string[]): void {
  for (const d of directives) {
    if (!(policyDirectiveNames as readonly string[]).includes(d.name.value)) unknown.push(`@${d.name.value} on ${where}`);
  }
}

