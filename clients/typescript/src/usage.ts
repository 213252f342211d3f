// Reads the generated result types the way the portal does. Nothing here
// runs: it exists so that tsc fails when the schema stops guaranteeing what
// the portal relies on (non-null edges, nodes and lists, enum values, the
// error codes).
import type { ResultOf, VariablesOf } from "@graphql-typed-document-node/core";
import type { ErrorCode, GrantStatus } from "./gql/enums";
import type { DecideGrant, MatchSuggestions, Offers, TrajectoryDetail, TrajectoryList } from "./operations";

/** The titles on a page of the list: edges and nodes are never null. */
export function titles(page: ResultOf<typeof TrajectoryList>): string[] {
  return page.trajectories.edges.map((e) => `${e.node.title} (${e.node.giving.name} → ${e.node.receiving.name})`);
}

/** Themes of every trajectory on the page: relation lists are never null. */
export function themeCodes(page: ResultOf<typeof TrajectoryList>): string[] {
  return page.trajectories.edges.flatMap((e) => e.node.themes.map((t) => t.code));
}

/** The variables of the next page, or null at the end. */
export function nextPage(
  page: ResultOf<typeof TrajectoryList>,
  vars: VariablesOf<typeof TrajectoryList>,
): VariablesOf<typeof TrajectoryList> | null {
  const { hasNextPage, endCursor } = page.trajectories.pageInfo;
  return hasNextPage && endCursor ? { ...vars, after: endCursor } : null;
}

/** The mentors and the payments of a trajectory. */
export function detail(r: ResultOf<typeof TrajectoryDetail>): { mentors: string[]; paid: string[] } {
  if (r.node?.__typename !== "Trajectory") return { mentors: [], paid: [] };
  const t = r.node;
  return {
    mentors: t.mentors.map((m) => m.name ?? ""),
    paid: t.grant ? t.grant.payments.map((p) => `${p.paidOn}: ${p.amount}`) : [],
  };
}

/** A decision: approve with an amount in euro (a Money string), or reject. */
export function approve(grantID: string, awarded: string): VariablesOf<typeof DecideGrant> {
  return { input: { grantID, approve: true, awarded } };
}

/** Every grant status the portal shows a label for. */
export const grantStatusLabels: Record<GrantStatus, string> = {
  RESERVED: "Gereserveerd",
  WAITLISTED: "Op de wachtlijst",
  APPROVED: "Goedgekeurd",
  REJECTED: "Afgewezen",
  WITHDRAWN: "Ingetrokken",
  SETTLED: "Afgerekend",
  PAID: "Betaald",
};

/** What the portal does with an error, by extensions.code. */
export function onError(code: ErrorCode): "sign-in" | "retry" | "show" {
  switch (code) {
    case "UNAUTHENTICATED":
      return "sign-in";
    case "RATE_LIMITED":
    case "UNAVAILABLE":
    case "PERSISTED_QUERY_NOT_FOUND":
      return "retry";
    default:
      return "show";
  }
}

/** The best suggestion's offering municipality. */
export function best(r: ResultOf<typeof MatchSuggestions>): string | undefined {
  return r.matchSuggestions[0]?.offer.municipality.name;
}

/** Open offers on a page. */
export function openOffers(r: ResultOf<typeof Offers>): number {
  return r.offers.edges.filter((e) => e.node.status === "OPEN").length;
}
