package viewer

import (
	"context"
	"slices"
	"testing"
)

func TestParseRoles(t *testing.T) {
	tests := []struct {
		in    []string
		roles []Role
		nis   []string
	}{
		{[]string{"ministry"}, []Role{Ministry}, nil},
		{[]string{"municipality:12025", "municipality:24062", "municipality:12025"}, nil, []string{"12025", "24062"}},
		{[]string{"admin", "municipality:1202", "municipality:abcde", "Ministry", ""}, nil, nil},
		{[]string{"coordinator", "analyst", "partner"}, []Role{Coordinator, Analyst, Partner}, nil},
	}
	for _, tt := range tests {
		roles, nis := ParseRoles(tt.in)
		if !slices.Equal(roles, tt.roles) || !slices.Equal(nis, tt.nis) {
			t.Errorf("ParseRoles(%q) = %v, %v; want %v, %v", tt.in, roles, nis, tt.roles, tt.nis)
		}
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if FromContext(ctx) != nil {
		t.Fatal("empty context has a viewer")
	}
	if !FromContext(SystemContext(ctx)).IsSystem() {
		t.Fatal("system context is not system")
	}
	v := &Viewer{Subject: "x", Municipalities: []string{"12025"}}
	got := FromContext(NewContext(ctx, v))
	if got != v || !got.IsStaffOf("12025") || got.IsStaffOf("24062") || got.IsSystem() || got.IsAnonymous() {
		t.Fatalf("viewer round trip: %+v", got)
	}
	if !Anonymous().IsAnonymous() {
		t.Fatal("anonymous viewer is not anonymous")
	}
}
