package domain

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestStem(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// The free topics of DOMAIN.md's trajectories, in Dutch: singular
		// and plural meet, words without an inflection are left alone.
		{"uithuiszettingen", "uithuiszetting"},
		{"uithuiszetting", "uithuiszetting"},
		{"voedselbedeling", "voedselbedeling"},
		{"voedselbedelingen", "voedselbedeling"},
		{"activering", "activering"},
		{"schuldbemiddeling", "schuldbemiddeling"},
		{"armoede", "armoede"},
		{"woningen", "woning"},
		{"woning", "woning"},
		{"diensten", "dienst"},
		{"dienst", "dienst"},
		{"trajecten", "traject"},
		{"traject", "traject"},
		{"signalen", "signa"},                       // rule 2b
		{"signaal", "signa"},                        // rule 3
		{"referentiebudgetten", "referentiebudget"}, // rule 2a
		{"referentiebudget", "referentiebudget"},
		{"rechten", "recht"},
		{"leeflonen", "leeflo"},
		{"leefloon", "leeflo"},
		{"eerstelijnsdiensten", "eerstelijnsdienst"},
		{"fusie", "fusie"},
		{"ocmw", "ocmw"},
		// Rule 1.
		{"ideeen", "idee"},
		{"knieen", "knie"},
		{"industrieen", "industrie"},
		// Rule 2: -en after a consonant.
		{"mensen", "mens"},
		{"kansen", "kans"},
		{"vrouwen", "vrouw"},
		{"wijken", "wijk"},
		{"gezinnen", "gezin"},    // 2a
		{"processen", "proces"},  // 2a
		{"personen", "perso"},    // 2b, o
		{"persoon", "perso"},     // 3
		{"problemen", "proble"},  // 2b, e before m
		{"probleem", "proble"},   // 3
		{"daklozen", "daklo"},    // 2b, o
		{"dakloos", "daklo"},     // 3
		{"middelen", "middel"},   // not 2b: the e of -el
		{"kinderen", "kinder"},   // not 2b: the e of -er
		{"vragen", "vrag"},       // not 2b: "vra" is too short
		{"vraag", "vraag"},       // not 3: "vr" is too short
		{"schaal", "schaal"},     // not 3: "sch" would find "schuld"
		{"rijen", "rijen"},       // "rij" is too short
		{"meten", "meten"},       // "met" is too short
		{"open", "open"},         // "op" is too short
		{"geen", "geen"},         // -en after a vowel
		{"alleen", "alleen"},     // -en after a vowel
		{"uren", "uren"},         // too short
		{"brieven", "briev"},     // a known miss: not "brief"
		{"huizen", "huiz"},       // a known miss: not "huis"
		{"gemeenten", "gemeent"}, // a known miss: not "gemeente"
		{"verkennen", "verk"},    // 2a, then 2 again: a stem is its own stem
		{"verken", "verk"},       // 2
		{"sociaal", "sociaal"},   // not 3: a vowel before the aa
		{"budgetbeheer", "budgetbehe"},
		// Rule 4.
		{"mogelijkheid", "mogelijkhe"},
		{"mogelijkheden", "mogelijkhe"}, // 2b
		{"dakloosheid", "daklooshe"},
		{"heid", "heid"},
		// Rule 5: -s.
		{"acties", "actie"},
		{"organisaties", "organisatie"},
		{"bewoners", "bewoner"},
		{"medewerkers", "medewerker"},
		{"regels", "regel"},
		{"huisjes", "huisje"},
		{"koers", "koers"}, // -er after a vowel
		{"kans", "kans"},
		{"mens", "mens"},
		{"thuis", "thuis"},
		// Words with digits, and letters beyond a to z, are left alone.
		{"2027", "2027"},
		{"covid19", "covid19"},
		{"4en", "4en"},
		{"xyz\u1000en", "xyz\u1000en"}, // no rule fires on a letter beyond a to z
		{"xyz\u1000", "xyz\u1000"},
		{"œuvres", "œuvres"},
	}
	for _, tt := range tests {
		got := stem(tt.in)
		if got != tt.want {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !strings.HasPrefix(tt.in, got) || stem(got) != got {
			t.Errorf("stem(%q) = %q, not a beginning of the word or not its own stem", tt.in, got)
		}
	}
}

func TestSearchWords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only stop words and short words", "Het is wat het is, en dat is 't.", nil},
		{"lower case, sorted, unique", "Woningen WONING woning", []string{"woning"}},
		{"singular and plural meet", "Preventie van uithuiszettingen; een uithuiszetting voorkomen",
			[]string{"preventie", "uithuiszetting", "voorko"}},
		{"accents folded", "Ideeën voor het café: één aanpak",
			[]string{"aanpak", "cafe", "idee"}},
		{"decomposed accents fold the same", "Idee\u0065\u0308n voor het cafe\u0301",
			[]string{"cafe", "idee"}},
		// Letters that are not a letter plus an accent are kept, as the search
		// index keeps them.
		{"ligatures", "ĳverige Œuvre straße", []string{"straße", "ĳverige", "œuvre"}},
		{"split on punctuation", "thema's, e-mail/OCMW (sociale-dienst)",
			[]string{"dienst", "mail", "ocmw", "sociale", "thema"}},
		{"digits are word characters", "Budget 2027: 19 uur", []string{"2027", "budget", "uur"}},
		{"a stem that is a stop word is dropped", "de anderen", nil},
		{"DOMAIN.md: Mechelen → Vilvoorde",
			"Dakloosheid: begeleiding bij uithuiszettingen, doorstroming tussen sociale dienst en vrederechter",
			[]string{"begeleiding", "daklooshe", "dienst", "doorstroming", "sociale", "uithuiszetting", "vrederechter"}},
		{"DOMAIN.md: Oostende → Beerse",
			"Herdenken van voedselbedeling en voedselstrategie, link met het verkennen en opnemen van rechten",
			[]string{"herdenk", "link", "opnem", "recht", "verk", "voedselbedeling", "voedselstrategie"}},
		{"DOMAIN.md: Kortrijk → Roeselare", "Activering en doorstroming naar de arbeidsmarkt",
			[]string{"activering", "arbeidsmarkt", "doorstroming"}},
		{"DOMAIN.md: Kortrijk → Oud-Turnhout", "Signalen van eerstelijnsdiensten capteren en opvolgen",
			[]string{"capter", "eerstelijnsdienst", "opvolg", "signa"}},
		{"schuldbemiddeling", "Schuldbemiddeling en budgetbeheer voor gezinnen",
			[]string{"budgetbehe", "gezin", "schuldbemiddeling"}},
	}
	for _, tt := range tests {
		if got := SearchWords(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s: SearchWords(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestSearchWordsProperties checks on random texts what every caller relies
// on: the words are sorted and unique, none is shorter than 3 letters or a
// stop word, the function is deterministic and a word found in a text is
// found again when searched for on its own.
func TestSearchWordsProperties(t *testing.T) {
	pool := strings.Fields(`Uithuiszettingen uithuiszetting dakloosheid voedselbedeling Activering
		schuldbemiddeling armoede woningen signalen diensten trajecten de het een en van voor
		met op in ideeën café ĳs thema's e-mail 2027 19 a ab abc Œuvre straße mogelijkheden
		knieën gezinnen huizen brieven acties bewoners regels koers kans ÉÉN`)
	seps := []string{" ", ", ", ".", "-", "/", "\n", "'", " (", ") ", "—", "\t"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pool[r.IntN(len(pool))])
			b.WriteString(seps[r.IntN(len(seps))])
		}
		text := b.String()
		got := SearchWords(text)
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("SearchWords(%q) = %q, not sorted and unique", text, got)
		}
		if again := SearchWords(text); !slices.Equal(got, again) {
			t.Fatalf("SearchWords(%q) not deterministic: %q, then %q", text, got, again)
		}
		checkSearchWords(t, text, got)
	}
	// Searching for any word of the pool finds the texts that contain it.
	for _, w := range pool {
		for _, q := range SearchWords(w) {
			if _, found := slices.BinarySearch(SearchWords("tekst over "+w+" en meer"), q); !found {
				t.Errorf("searching %q for %q (from %q) finds nothing", "tekst over "+w, q, w)
			}
		}
	}
}

// checkSearchWords checks the words of text: each of at least 3 letters,
// in lower case, valid UTF-8, not a stop word, its own stem and the
// beginning of the word it came from, as the search index sees that word
// (lower case, without accents); and all of them together found again when
// they are themselves the text (idempotence).
func checkSearchWords(t *testing.T, text string, words []string) {
	t.Helper()
	for _, w := range words {
		if utf8.RuneCountInString(w) < 3 || stopWords[w] || w != strings.ToLower(w) || !utf8.ValidString(w) || stem(w) != w {
			t.Fatalf("SearchWords(%q) has %q", text, w)
		}
	}
	eachWord(text, func(s, written string) {
		if indexed := indexedForm(written); !strings.HasPrefix(indexed, s) {
			t.Fatalf("SearchWords(%q): %q is not the beginning of %q, which the index holds", text, s, indexed)
		}
	})
	if again := SearchWords(strings.Join(words, " ")); !slices.Equal(again, words) {
		t.Fatalf("SearchWords(%q) = %q, but SearchWords of that = %q", text, words, again)
	}
}

// indexedForm is a written word as the search index holds it: without
// accents, whether composed ("é") or combining ("e" + U+0301).
func indexedForm(written string) string {
	var b strings.Builder
	for _, r := range written {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unaccented[r] != 0:
			b.WriteRune(unaccented[r])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzSearchWords(f *testing.F) {
	for _, s := range []string{"Preventie van uithuiszettingen", "ideeën café ĳs", "Ide\u0065\u0308n",
		"verkennen tekenen heden", "thema's e-mail 2027", "", "ééé", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		words := SearchWords(text)
		if !slices.IsSorted(words) || len(slices.Compact(slices.Clone(words))) != len(words) {
			t.Fatalf("SearchWords(%q) = %q, not sorted and unique", text, words)
		}
		checkSearchWords(t, text, words)
	})
}

func TestDutchDate(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{NewDate(2027, 9, 1), "1 september 2027"},
		{NewDate(2027, 1, 31), "31 januari 2027"},
		{NewDate(2027, 12, 31).In(Brussels()), "31 december 2027"}, // the UTC day, like DateOf
		{NewDate(2028, 3, 1), "1 maart 2028"},
	}
	for _, tt := range tests {
		if got := dutchDate(tt.in); got != tt.want {
			t.Errorf("dutchDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDutchHours(t *testing.T) {
	tests := []struct {
		in   Hours
		want string
	}{
		{HoursOf(19), "19"},
		{12_50, "12,5"},
		{7_25, "7,25"},
		{0, "0"},
	}
	for _, tt := range tests {
		if got := dutchHours(tt.in); got != tt.want {
			t.Errorf("dutchHours(%d) = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}
