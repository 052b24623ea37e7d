/**
 * What an `UPSTREAM_RECORD_DROPPED` warning reveals, per agency resource (`<system>.<resource>`,
 * as the connectors name them): that such a record exists, and its id. A warning is shown only
 * if the caller may read those source fields; a resource without a declaration is never warned
 * about (a test names every resource the connectors can drop).
 */
export const DROPPED_RECORD_REVEALS: Readonly<Record<string, readonly string[]>> = {
  'approval.enterprise': ['Query.subject', 'Subject.uscc'],
  'approval.permit': ['Subject.permits', 'Permit.permitNo'],
  'supervision.inspection': ['Subject.inspections', 'Inspection.id'],
  'enforcement.clue': ['Subject.clues', 'Clue.id'],
  'enforcement.case': ['Subject.cases', 'Case.caseNo'],
  'enforcement.penalty': ['Subject.penalties', 'Penalty.decisionNo'],
  'enforcement.region': ['Query.jurisdictions'],
  'enforcement.org': ['Query.authorities'],
  'enforcement.item': ['Query.powerItems'],
  'credit.subject': ['Subject.credit'],
  'credit.record': ['Credit.records', 'CreditRecord.id'],
};

/**
 * Resources whose records the caller sees only within its jurisdiction. A record that could not
 * be read has no known township, so its id is withheld: it may lie outside, where it must look
 * like a record that does not exist.
 */
export const JURISDICTION_CONFINED_RESOURCES: ReadonlySet<string> = new Set([
  'supervision.inspection',
  'enforcement.clue',
  'enforcement.case',
]);
