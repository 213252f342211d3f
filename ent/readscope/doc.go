// Package readscope lets ent's edge predicates (trajectory.HasGrantWith,
// municipality.HasMentors, the hasXWith of every where-input, ...) narrow
// the table they reach to the rows the viewer in the query's context may
// read. An edge predicate is an SQL subquery that the other table's privacy
// policy never sees; without this, a filter on a list the viewer may read
// could test rows it may not.
//
// The package is generated from ent/template/readscope.tmpl, which also
// hooks it into every edge predicate. Package rule registers the read rules
// (the Readable… scopes that the privacy policies apply too); until it has,
// every scope is empty.
package readscope
