// Shows the generated types in use, and lets `tsc` check that they fit together.
import type {
  CaseloadQuery,
  CaseloadQueryVariables,
  RecordBehaviourMutationVariables,
  PlanEventsSubscription,
} from "./generated/operations";

export const firstPage: CaseloadQueryVariables = { first: 20 };

export function names(data: CaseloadQuery): string[] {
  return data.children.edges.map((edge) => `${edge.node.givenName} ${edge.node.familyName}`);
}

export function lastSeq(event: PlanEventsSubscription): string {
  return event.planEvents.seq;
}

export const behaviour: RecordBehaviourMutationVariables["input"]["trafficLight"] = "AMBER";
