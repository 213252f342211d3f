package labels

import "testing"

func TestEveryValueHasBothLabels(t *testing.T) {
	for name, values := range enums {
		if len(values) == 0 {
			t.Errorf("%s: no values", name)
		}
		nl, en := map[string]string{}, map[string]string{}
		for v, text := range values {
			if text.nl == "" || text.en == "" {
				t.Errorf("%s.%s: labels %q / %q, want both", name, v, text.nl, text.en)
			}
			// Two values with one label could not be told apart.
			if other, ok := nl[text.nl]; ok {
				t.Errorf("%s: %s and %s are both %q in Dutch", name, v, other, text.nl)
			}
			if other, ok := en[text.en]; ok {
				t.Errorf("%s: %s and %s are both %q in English", name, v, other, text.en)
			}
			nl[text.nl], en[text.en] = v, v
		}
	}
}

func TestOf(t *testing.T) {
	for _, c := range []struct {
		enum, value string
		lang        Language
		want        string
	}{
		{"GrantStatus", "WAITLISTED", NL, "Op de wachtlijst"},
		{"GrantStatus", "WAITLISTED", EN, "Waitlisted"},
		{"MunicipalityProvince", "OOST_VLAANDEREN", NL, "Oost-Vlaanderen"},
		{"MunicipalityProvince", "OOST_VLAANDEREN", EN, "East Flanders"},
		{"TrajectoryForm", "INTERNSHIP", NL, "Stage"},
		{"TrajectoryTrajectoryForm", "INTERNSHIP", EN, "Internship"},
		{"DocumentKind", "ACTION_PLAN", "", "Actieplan"},
		{"GrantStatus", "UNKNOWN", EN, "UNKNOWN"},
	} {
		if got := Of(c.enum, c.value, c.lang); got != c.want {
			t.Errorf("Of(%s, %s, %q) = %q, want %q", c.enum, c.value, c.lang, got, c.want)
		}
	}
}
