/**
 * A start that failed for a reason its message says in full (the store did not answer, the port is
 * taken): `npm start` prints that one line and no stack, since the problem is the machine's or the
 * environment's, not the code's, and the stack would bury it.
 */
export class StartFailure extends Error {}
