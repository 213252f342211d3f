// The portal's main operations, as typed documents. graphql-codegen checks
// each against the schema and generates its result and variable types;
// src/usage.ts then reads the results the way the portal does, so that tsc
// fails when the schema changes in a way that breaks them.
import { graphql } from "./gql";

/** A page of trajectories, for the list; follow pageInfo.endCursor for more. */
export const TrajectoryList = graphql(`
  query TrajectoryList($first: Int, $after: Cursor, $orderBy: TrajectoryOrder, $where: TrajectoryWhereInput, $search: String) {
    trajectories(first: $first, after: $after, orderBy: $orderBy, where: $where, search: $search) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id title status form plannedStart plannedEnd updatedAt
          giving { id name province }
          receiving { id name province }
          call { id name year }
          themes { id code name }
          grant { id status requested awarded }
        }
      }
    }
  }
`);

/** One trajectory with its plan, mentors and grant, for the detail page. */
export const TrajectoryDetail = graphql(`
  query TrajectoryDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Trajectory {
        id title description status form topics plannedStart plannedEnd actionPlan
        givingSignedAt receivingSignedAt evaluationReport declineReason updatedAt
        giving { id name nisCode }
        receiving { id name nisCode }
        call { id name year opensAt closesAt compensationPercent perProjectCap }
        themes { id code name }
        mentors { id name jobTitle }
        grant {
          id status submittedAt requested awarded settled paid decisionReason
          calculation { total uncapped capped compensationPercent lines { month share amount mentor { id name } } }
          payments { id amount paidOn }
        }
      }
    }
  }
`);

/** The giving side applies for the grant. */
export const SubmitGrantApplication = graphql(`
  mutation SubmitGrantApplication($trajectoryID: ID!) {
    submitGrantApplication(input: { trajectoryID: $trajectoryID }) {
      grant { id status requested submittedAt calculation { total capped } }
    }
  }
`);

/** The ministry's open applications of a call, with where its budget stands. */
export const CallApplications = graphql(`
  query CallApplications($callID: ID!, $first: Int, $after: Cursor) {
    node(id: $callID) {
      ... on Call {
        id name
        budgetStatus { budget committed remaining }
        grants(first: $first, after: $after, where: { statusIn: [RESERVED, WAITLISTED] }, orderBy: { field: SUBMITTED_AT, direction: ASC }) {
          pageInfo { hasNextPage endCursor }
          edges { node { id status requested submittedAt trajectory { id title giving { name } } } }
        }
      }
    }
  }
`);

/** The ministry approves (with an amount) or rejects (with a reason). */
export const DecideGrant = graphql(`
  mutation DecideGrant($input: DecideGrantInput!) {
    decideGrant(input: $input) { grant { id status awarded decisionReason decidedAt } }
  }
`);

/** Offers of expertise, optionally searched. */
export const Offers = graphql(`
  query Offers($first: Int, $after: Cursor, $search: String, $where: OfferWhereInput) {
    offers(first: $first, after: $after, search: $search, where: $where) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id description topics forms capacityHoursPerWeek availableFrom availableUntil status
          municipality { id name }
          themes { id code name }
        }
      }
    }
  }
`);

/** Needs, optionally searched. */
export const Needs = graphql(`
  query Needs($first: Int, $after: Cursor, $search: String, $where: NeedWhereInput) {
    needs(first: $first, after: $after, search: $search, where: $where) {
      pageInfo { hasNextPage endCursor }
      edges {
        node { id description topics preferredForm desiredStart desiredEnd status municipality { id name } themes { id code name } }
      }
    }
  }
`);

/** Municipality staff register an offer. */
export const RegisterOffer = graphql(`
  mutation RegisterOffer($input: RegisterOfferInput!) {
    registerOffer(input: $input) { offer { id status } }
  }
`);

/** Municipality staff register a need. */
export const RegisterNeed = graphql(`
  mutation RegisterNeed($input: RegisterNeedInput!) {
    registerNeed(input: $input) { need { id status } }
  }
`);

/** The coordinator's ranked suggestions for a need, with the reasons. */
export const MatchSuggestions = graphql(`
  query MatchSuggestions($needID: ID!, $first: Int) {
    matchSuggestions(needID: $needID, first: $first) {
      score
      offer { id description municipality { id name province } }
      components { name weight value contribution explanation }
    }
  }
`);

/** The coordinator proposes a match. */
export const ProposeMatch = graphql(`
  mutation ProposeMatch($input: ProposeMatchInput!) {
    proposeMatch(input: $input) { trajectory { id status title } }
  }
`);
