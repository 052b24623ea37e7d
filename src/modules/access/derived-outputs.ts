import type { GraphQLError, GraphQLSchema } from 'graphql';
import { revealDeclarationsOf, type RevealDeclarations } from './reveal-declarations.ts';
import type { RequestPermissions } from './request-permissions.ts';

/** Decides one kind of derived output (`TimelineEventKind.PENALTY_EXECUTED`) for the caller. */
export type ShowDerived = (output: string) => boolean;

/**
 * The one place derived outputs are decided: each by the source fields its `@reveals`
 * declaration names, through the caller's field rules (`RequestPermissions.reveal`). An output
 * without a declaration is never shown. Without permissions (authentication off) everything is.
 */
export class DerivedOutputs {
  // Decided once per output and request, like a field: lists of thousands of breaks ask again per row.
  readonly #decided = new Map<string, true | GraphQLError>();

  constructor(
    private readonly reveals: RevealDeclarations,
    private readonly permissions: RequestPermissions | undefined,
  ) {}

  static of(schema: GraphQLSchema, permissions: RequestPermissions | undefined): DerivedOutputs {
    return new DerivedOutputs(revealDeclarationsOf(schema), permissions);
  }

  /** True, or the FORBIDDEN error naming the rule and the source refused; records the outcome. */
  decide(output: string): true | GraphQLError {
    if (!this.permissions) return true;
    let decision = this.#decided.get(output);
    if (decision === undefined) {
      // Undeclared: decided as a read of the output itself, which no field declaration covers (refused).
      decision = this.permissions.reveal(this.reveals.get(output) ?? [output], output);
      this.#decided.set(output, decision);
    }
    return decision;
  }

  /** Whether the output is shown; an output shown is recorded as a read of its sources. */
  readonly show: ShowDerived = (output) => this.decide(output) === true;

  /** Whether it would be shown, recording nothing: to skip fetching what could never be shown. */
  readonly wouldShow: ShowDerived = (output) => {
    if (!this.permissions) return true;
    const sources = this.reveals.get(output);
    return sources !== undefined && this.permissions.mayReveal(sources);
  };
}
