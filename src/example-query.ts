/** The README's example enterprise: 瑞安市隆瑞服饰有限公司 in the bundled demo world (seed 42, scale 1). */
export const DEMO_EXAMPLE_SUBJECT = { uscc: '91330381MA2G2YEE23', name: '瑞安市隆瑞服饰有限公司' } as const;

/** The query the IDE opens with and `npm start` prints: one enterprise across all four systems. */
export function exampleQueryFor(subject: { uscc: string; name: string }, where: string): string {
  return `# 一次请求，四个系统：许可 → 检查 → 线索 → 案件 → 处罚 → 信用
# One request, four agency systems: permits → inspections → clues → cases → penalties → credit.
query Lifecycle {
  # ${subject.name} in ${where}
  subject(uscc: "${subject.uscc}") {
    name
    township { name }
    permits {
      permitNo
      itemName
      status
      inspections {
        inspectedOn
        kind
        outcome
        clues {
          status
          case {
            caseNo
            status
            penalties { decisionNo kinds fine { yuan } creditRecords { status publicityEndsOn } }
          }
        }
      }
    }
    credit { grade dishonesty { status } }
    timeline { events { at stage kind summary } unavailableSystems { system code } }
  }
}
`;
}

/** The example on the demo world; a gateway with its own bundled simulators names a subject of its world. */
export const exampleQuery = exampleQueryFor(DEMO_EXAMPLE_SUBJECT, 'the bundled demo world (seed 42)');

/**
 * The demo caller whose token the IDE is pre-filled with. The example follows inspections to their
 * clues, which are conditional enforcement data: an analyst is refused them (purpose-required,
 * then no-grant), while the enforcement bureau owns them, so its token answers the whole example
 * without errors. (Issue 13: a newcomer's first query must not answer FORBIDDEN.)
 */
export const examplePreset = 'county-enforcement';
