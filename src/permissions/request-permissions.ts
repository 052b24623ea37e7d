import { GraphQLError } from 'graphql';
import { decideField, type CallerStanding, type FieldDecision } from './field-decision.ts';
import type { SharingDeclaration } from './sharing-declarations.ts';

/**
 * One request's permission state: the caller's standing, each field's decision (made once per
 * request, not once per row), and what the access log must record — the conditional and
 * not-shared fields returned (each conditional one with the grant it was read under) and the
 * fields denied.
 */
export class RequestPermissions {
  readonly #decisions = new Map<string, FieldDecision>();
  readonly returnedConditional = new Set<string>();
  /** For each conditional field returned under a grant: coordinate → the grant's id. */
  readonly readUnderGrant = new Map<string, string>();
  readonly returnedNotShared = new Set<string>();
  readonly denied = new Set<string>();

  constructor(
    readonly standing: CallerStanding,
    private readonly declarations: ReadonlyMap<string, SharingDeclaration>,
  ) {}

  /**
   * Whether the caller may read a field, for code that assembles data from several fields
   * (the timeline must not show clues to a caller who may not read `Subject.clues`).
   */
  allows(coordinate: string): boolean {
    const declaration = this.declarations.get(coordinate);
    return declaration !== undefined && this.check(declaration) === true;
  }

  /** The decision for a field; a denial is returned as the FORBIDDEN error to answer with. */
  check(declaration: SharingDeclaration): true | GraphQLError {
    let decision = this.#decisions.get(declaration.coordinate);
    if (!decision) {
      decision = decideField(declaration, this.standing);
      this.#decisions.set(declaration.coordinate, decision);
    }
    if (decision.outcome === 'deny') {
      this.denied.add(declaration.coordinate);
      return new GraphQLError(`Not allowed: ${decision.reason}.`, {
        extensions: { code: 'FORBIDDEN', rule: decision.rule, field: declaration.coordinate },
      });
    }
    if (declaration.sharingClass === 'CONDITIONAL') {
      this.returnedConditional.add(declaration.coordinate);
      if (decision.outcome === 'allow' && decision.grantId !== undefined) this.readUnderGrant.set(declaration.coordinate, decision.grantId);
    }
    if (declaration.sharingClass === 'NOT_SHARED') this.returnedNotShared.add(declaration.coordinate);
    return true;
  }

  /** Whether the caller's token carries a role. */
  hasRole(role: string): boolean {
    return this.standing.principal.roles.some((held) => held === role);
  }

  /** Whether a personal field's value must be masked for this caller. */
  masks(declaration: SharingDeclaration): boolean {
    return this.#decisions.get(declaration.coordinate)?.outcome === 'mask';
  }
}
