import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal.ts';
import { actingPrincipal } from './roles-in-force.ts';
import { withinJurisdiction } from './jurisdiction.ts';
import { decideField, placeDecides, type CallerStanding, type FieldDecision, type RowPlace } from './field-decision.ts';
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

  /**
   * The caller as services act for it: the token's roles less those that do not hold here (an
   * auditor of another county). The access log records the token's roles as they were.
   */
  readonly actor: Principal;

  constructor(
    readonly standing: CallerStanding,
    private readonly declarations: ReadonlyMap<string, SharingDeclaration>,
  ) {
    this.actor = actingPrincipal(standing.principal, standing.coversServedArea);
  }

  /**
   * Whether the caller may read a field, for code that assembles data from several fields
   * (the timeline must not show clues to a caller who may not read `Subject.clues`).
   */
  allows(coordinate: string): boolean {
    const declaration = this.declarations.get(coordinate);
    return declaration !== undefined && this.check(declaration) === true;
  }

  /**
   * Whether the field's sharing decision (on a row of this place) is not a denial (a masked value
   * is shown), recording nothing.
   */
  mayRead(coordinate: string, place: RowPlace = 'confined'): boolean {
    return this.decisionOf(coordinate, place).outcome !== 'deny';
  }

  /** The field's sharing decision (on a row of this place), recording nothing. */
  decisionOf(coordinate: string, place: RowPlace = 'confined'): FieldDecision {
    const declaration = this.declarations.get(coordinate);
    return declaration ? this.#decide(declaration, place) : decideField(undefined, this.standing);
  }

  /**
   * The decision for a field; a denial is returned as the FORBIDDEN error to answer with. Without
   * a place, the row is taken to be one the caller reached within its jurisdiction (`confined`).
   */
  check(declaration: SharingDeclaration, place: RowPlace = 'confined'): true | GraphQLError {
    const decision = this.#decide(declaration, place);
    if (decision.outcome === 'deny') {
      this.denied.add(declaration.coordinate);
      return refusal(decision, declaration.coordinate);
    }
    this.#recordRead(declaration, decision);
    return true;
  }

  /** Whether the field's decision hangs on the row's place for this caller (see `placeDecides`). */
  placeDecides(coordinate: string): boolean {
    const declaration = this.declarations.get(coordinate);
    return declaration !== undefined && placeDecides(declaration, this.standing);
  }

  /**
   * The decision for a derived output (a timeline event, a loop break, an assessment figure, a
   * webhook payload) by the source fields it reveals, through the same rules as reading them: it
   * may be shown only if every source may be read. Shown, it is recorded as a read of its
   * sources; refused, as a denial of the first source refused. A source the schema does not
   * declare is refused (`undeclared`).
   */
  reveal(sources: readonly string[], derived?: string, place: RowPlace = 'confined'): true | GraphQLError {
    const refused = this.#firstRefused(sources, place);
    if (refused) {
      this.denied.add(refused.coordinate);
      return refusal(refused.decision, refused.coordinate, derived);
    }
    for (const source of sources) {
      const declaration = this.declarations.get(source)!;
      this.#recordRead(declaration, this.#decide(declaration, place));
    }
    return true;
  }

  /** Whether a derived output may be shown (of a row of this place), recording nothing: for deciding what to fetch. */
  mayReveal(sources: readonly string[], place: RowPlace = 'confined'): boolean {
    return this.#firstRefused(sources, place) === null;
  }

  /** Whether some source's decision hangs on the row's place for this caller. */
  placeDecidesAny(sources: readonly string[]): boolean {
    return sources.some((coordinate) => this.placeDecides(coordinate));
  }

  /** Whether a row of this place lies within the caller's jurisdiction. */
  within(place: RowPlace): boolean {
    return place === 'confined' || (place !== null && withinJurisdiction(this.standing.principal, place));
  }

  #firstRefused(
    sources: readonly string[],
    place: RowPlace,
  ): { coordinate: string; decision: Extract<FieldDecision, { outcome: 'deny' }> } | null {
    for (const coordinate of sources) {
      const declaration = this.declarations.get(coordinate);
      const decision = declaration ? this.#decide(declaration, place) : decideField(undefined, this.standing);
      if (decision.outcome === 'deny') return { coordinate, decision };
      // A derived output cannot be masked, so a value the caller would see only masked is refused.
      if (decision.outcome === 'mask') {
        return {
          coordinate,
          decision: {
            outcome: 'deny',
            rule: 'no-grant',
            reason: `${coordinate} is personal and shown to this caller only masked`,
          },
        };
      }
    }
    return null;
  }

  /**
   * Decided once per field and request, and once more for rows beyond the caller's jurisdiction
   * (or of an unknown place) where the place decides: two decisions at most, whatever the rows.
   */
  #decide(declaration: SharingDeclaration, place: RowPlace = 'confined'): FieldDecision {
    const within = !placeDecides(declaration, this.standing) || this.within(place);
    const key = within ? declaration.coordinate : `${declaration.coordinate}@beyond`;
    let decision = this.#decisions.get(key);
    if (!decision) {
      decision = decideField(declaration, this.standing, within ? 'confined' : null);
      this.#decisions.set(key, decision);
    }
    return decision;
  }

  #recordRead(declaration: SharingDeclaration, decision: FieldDecision = this.#decide(declaration)): void {
    if (declaration.sharingClass === 'CONDITIONAL') {
      this.returnedConditional.add(declaration.coordinate);
      if (decision.outcome === 'allow' && decision.grantId !== undefined)
        this.readUnderGrant.set(declaration.coordinate, decision.grantId);
    }
    if (declaration.sharingClass === 'NOT_SHARED') this.returnedNotShared.add(declaration.coordinate);
  }

  /** Whether the caller's token carries a role that holds here (`rolesInForce`). */
  hasRole(role: string): boolean {
    return this.actor.roles.some((held) => held === role);
  }

  /** Whether a personal field's value must be masked for this caller, on a row of this place. */
  masks(declaration: SharingDeclaration, place: RowPlace = 'confined'): boolean {
    return this.#decide(declaration, place).outcome === 'mask';
  }
}

function refusal(
  decision: Extract<FieldDecision, { outcome: 'deny' }>,
  coordinate: string,
  derived?: string,
): GraphQLError {
  return new GraphQLError(`Not allowed: ${decision.reason}.`, {
    extensions: { code: 'FORBIDDEN', rule: decision.rule, field: coordinate, ...(derived ? { derived } : {}) },
  });
}
