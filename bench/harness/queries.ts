/**
 * The benchmark's query mix. Each is sent as `{ query, operationName, variables }`; the floor
 * reads only the operation name and variables, the gateways the whole document.
 */
/** Its first 20 subjects reach every level: permits, inspections, clues, cases, penalties, credit records. */
export const TOWNSHIP = '330381011';
/** A second township for the slow-agency scenario, so its answers differ from the lifecycle's. */
export const OTHER_TOWNSHIP = '330381002';

export interface BenchQuery {
  name: 'CheckUscc' | 'Trivial' | 'Lifecycle' | 'LargeList' | 'PermitsOnly' | 'CreditOnly';
  query: string;
  variables: Record<string, unknown>;
}

export const lifecycle: BenchQuery = {
  name: 'Lifecycle',
  query: `query Lifecycle($township: String!) { subjects(first: 20, filter: { townshipCode: $township }) { nodes {
  uscc name
  permits { permitNo status inspections { id clues { id case { caseNo penalties { decisionNo creditRecords { id } } } } } }
  credit { grade records { id } }
} } }`,
  variables: { township: TOWNSHIP },
};

/** 100 subjects and their permits: about 260 records of five to seven fields. */
export const largeList: BenchQuery = {
  name: 'LargeList',
  query: `query LargeList { subjects(first: 100) { nodes {
  uscc name kind industryCode establishedOn address legacyRegNo
  permits { permitNo status itemName validFrom validUntil }
} } }`,
  variables: {},
};

/**
 * The lifecycle and the large list as the Mesh peer (bench/hive/mesh.config.ts) can ask them: in
 * each agency's own field names, and the lifecycle from a list of USCCs, because no agency can
 * list a township's subjects (the gateway keeps a registry for that; Mesh keeps nothing).
 */
export const meshLargeList: BenchQuery = {
  name: 'LargeList',
  query: `query LargeList { enterprises(page: 1, pageSize: 100) { data { items {
  uscc entName entType industryCode estDate address legacyRegNo
  permits { permitNo status itemName validFrom validTo }
} } } }`,
  variables: {},
};

/**
 * `CASE_NO` is selected on clues although only `cases` needs it: three links down, Hive Gateway
 * did not add a link's requiredSelectionSet to the query it sent, and every `cases` came back null
 * with no request made (seen with @graphql-hive/gateway 2.15, fusion-runtime 1.12).
 */
export const meshLifecycle = (usccs: readonly string[]): BenchQuery => ({
  name: 'Lifecycle',
  query: `query Lifecycle($input: queryInput_enterprisesByUscc_input_Input) { enterprisesByUscc(input: $input) { data {
  uscc entName
  permits { permitNo status inspections { inspection_id clues { CLUE_ID CASE_NO cases { CASE_NO penalties { DECISION_NO creditRecords { jlbh } } } } } }
  credit { xydj records { jlbh } }
} } }`,
  variables: { input: { usccs } },
});

/** The fixed cost of a request: one field, no I/O, the same pure check in every server. */
export const checkUscc = (code: string): BenchQuery => ({
  name: 'CheckUscc',
  query: 'query CheckUscc($code: String!) { checkUscc(code: $code) { valid } }',
  variables: { code },
});

export const trivial = (uscc: string): BenchQuery => ({
  name: 'Trivial',
  query: 'query Trivial($uscc: USCC!) { subject(uscc: $uscc) { uscc name } }',
  variables: { uscc },
});

/** Approval and supervision only: unaffected when the credit system is slow. */
export const permitsOnly: BenchQuery = {
  name: 'PermitsOnly',
  query: `query PermitsOnly($township: String!) { subjects(first: 20, filter: { townshipCode: $township }) { nodes {
  uscc permits { permitNo inspections { id } }
} } }`,
  variables: { township: OTHER_TOWNSHIP },
};

export const creditOnly: BenchQuery = {
  name: 'CreditOnly',
  query: `query CreditOnly($township: String!) { subjects(first: 20, filter: { townshipCode: $township }) { nodes {
  uscc credit { grade }
} } }`,
  variables: { township: OTHER_TOWNSHIP },
};

export const bodyOf = (q: BenchQuery): string =>
  JSON.stringify({ query: q.query, operationName: q.name, variables: q.variables });

/** Operations a gateway must refuse before doing any real work. */
export interface Attack {
  name: string;
  body: string;
}

/** `subject { permits { holder { permits { holder { … uscc } } } } }`, `levels` pairs deep. */
const deep = (levels: number, uscc: string): string => {
  let selection = 'uscc';
  for (let i = 0; i < levels; i += 1) selection = `permits { holder { ${selection} } }`;
  return `{ subject(uscc: "${uscc}") { ${selection} } }`;
};

export const attacks = (uscc: string): Attack[] => [
  { name: 'deep (40 levels)', body: JSON.stringify({ query: deep(20, uscc) }) },
  {
    name: '300 aliases',
    body: JSON.stringify({
      query: `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: checkUscc(code: "${uscc}") { valid }`).join(' ')} }`,
    }),
  },
  {
    name: 'batched array of 100 lifecycle queries',
    body: JSON.stringify(
      Array.from({ length: 100 }, () => ({ query: lifecycle.query, variables: lifecycle.variables })),
    ),
  },
  {
    // Over the body limit (src/http/body-errors.ts): refused from its content-length, before it is read.
    name: '1 MB of tokens',
    body: JSON.stringify({ query: `{ ${'__typename '.repeat(Math.ceil(2 ** 20 / 11))}}` }),
  },
  {
    // Under the body limit, over the token limit (QUERY_MAX_TOKENS): the parser must stop early.
    name: '200 KB of tokens',
    body: JSON.stringify({ query: `{ ${'__typename '.repeat(Math.ceil((200 * 1024) / 11))}}` }),
  },
  {
    // 100 rows × 250 selections: 25,000 against a limit of 20,000 (src/query-limits.ts).
    name: 'over the cost limit (100 subjects × 250 fields)',
    body: JSON.stringify({ query: `{ subjects(first: 100) { nodes { ${'name '.repeat(250)}} } }` }),
  },
];
