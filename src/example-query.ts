/** The query the IDE opens with and `npm start` prints: one enterprise across all four systems. */
export const exampleQuery = `# 一次请求，四个系统：许可 → 检查 → 线索 → 案件 → 处罚 → 信用
# One request, four agency systems: permits → inspections → clues → cases → penalties → credit.
query Lifecycle {
  subjects(first: 3, filter: { townshipCode: "330381012" }) {
    totalCount
    nodes {
      uscc
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
      cases { caseNo status }
      credit { grade dishonesty { status } }
    }
  }
}
`;
