// Apollo Client's cache needs to know how to merge objects without an id.
// BudgetStatus, GrantCalculation, GrantStatistic (and the key and line
// types inside them) are values of their parent, not entities: they have no
// identity of their own, so they are stored inside their parent and a new
// answer replaces the old one whole. Without these policies Apollo warns
// "Cache data may be lost when replacing the ... field" when a call's
// budgetStatus or a grant's calculation is fetched twice. Connections page
// with relayStylePagination (see the README of this package).
//
// Kept free of an @apollo/client dependency: pass it as
// new InMemoryCache({ typePolicies }).
export const typePolicies = {
  BudgetStatus: { keyFields: false, merge: true },
  GrantCalculation: { keyFields: false, merge: true },
  CalculationLine: { keyFields: false },
  GrantStatistic: { keyFields: false },
  GrantStatisticKey: { keyFields: false },
  ScoreComponent: { keyFields: false },
  MatchSuggestion: { keyFields: false },
  ThemeSupplyDemand: { keyFields: false },
  PageInfo: { keyFields: false, merge: true },
} as const;
