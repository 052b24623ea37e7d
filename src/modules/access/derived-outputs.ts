import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { RowPlace } from './field-decision.ts';
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

  /**
   * Whether the output is shown for a row of this place: as `show`, unless owner standing on one
   * of its sources hangs on the row's place for this caller (a township team) and the row lies
   * beyond its jurisdiction; then decided, once per output, as a consumer reading that row.
   */
  showAt(output: string, place: RowPlace): boolean {
    const sources = this.reveals.get(output);
    const permissions = this.permissions;
    if (!permissions || !sources || !permissions.placeDecidesAny(sources) || permissions.within(place))
      return this.show(output);
    const key = `${output}@beyond`;
    let decision = this.#decided.get(key);
    if (decision === undefined) {
      decision = permissions.reveal(sources, output, place);
      this.#decided.set(key, decision);
    }
    return decision === true;
  }

  /** Whether the output's decision may hang on its row's place for this caller: to place only then. */
  placeDecides(output: string): boolean {
    const sources = this.reveals.get(output);
    return sources !== undefined && this.permissions !== undefined && this.permissions.placeDecidesAny(sources);
  }

  /** Whether it would be shown, recording nothing: to skip fetching what could never be shown. */
  readonly wouldShow: ShowDerived = (output) => {
    if (!this.permissions) return true;
    const sources = this.reveals.get(output);
    return sources !== undefined && this.permissions.mayReveal(sources);
  };
}
