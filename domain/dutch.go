package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The texts of offers and needs are Dutch, written by staff of
// municipalities: "Preventie van uithuiszettingen" in one, "een
// uithuiszetting voorkomen" in the other. Comparing them word for word would
// miss most of what they share, so both sides go through SearchWords, which
// reduces a text to comparable words.
//
// The same words serve the search box of the embedded (SQLite) database,
// whose full-text index holds the texts as written (lower case, accents
// removed) and is queried with the words of SearchWords as word beginnings.
// That works only if every word SearchWords makes of a written word is a
// beginning of that word, so the stemmer below only ever cuts a word short:
// searching "signalen" asks for words that begin with "signa", which finds
// "signalen" and "signaal" alike.

// SearchWords returns the normalised words of a Dutch text, sorted and
// without duplicates, for text similarity (see ScoreMatch) and for search.
// A word is normalised in these steps:
//
//  1. lower case, and accents removed ("ideeën" → "ideeen", "café" →
//     "cafe"), also when they are written as combining marks ("e" +
//     U+0301); letters that are not a letter plus an accent, such as "ĳ",
//     "ø" or "ß", are kept, as the search index keeps them;
//  2. the text is split on every rune that is not a letter or a digit, so
//     "thema's", "e-mail" and "OCMW/sociale dienst" fall apart into words;
//  3. words of fewer than 3 letters and Dutch stop words ("het", "een",
//     "voor", "worden", …) are dropped: they are in every text and would
//     make unrelated texts look alike;
//  4. a light stemmer cuts plural and singular back to a common beginning
//     ("uithuiszettingen" and "uithuiszetting" → "uithuiszetting",
//     "signalen" and "signaal" → "signa"; see stem for its rules).
//
// Every word returned is the beginning of a word of the text (after step
// 1), and SearchWords of its own result gives that result again. The result
// is deterministic; a text without words gives none (a nil slice).
func SearchWords(text string) []string {
	var words []string
	eachWord(text, func(stem, _ string) { words = append(words, stem) })
	slices.Sort(words)
	return slices.Compact(words)
}

// eachWord calls f for every word of text that SearchWords keeps, in the
// order of the text, with its stem and the word as written (in lower case,
// accents kept), which is what an explanation should show.
func eachWord(text string, f func(stem, written string)) {
	var folded, written strings.Builder
	flush := func() {
		w, as := folded.String(), written.String()
		folded.Reset()
		written.Reset()
		if utf8.RuneCountInString(w) < 3 || stopWords[w] {
			return
		}
		// The stem is checked too: "anderen" becomes "ander".
		if s := stem(w); !stopWords[s] {
			f(s, as)
		}
	}
	for _, r := range text {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent belongs to the letter before it: drop it
			// without ending the word.
			written.WriteRune(r)
		case unaccented[r] != 0:
			folded.WriteRune(unaccented[r])
			written.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			folded.WriteRune(r)
			written.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
}

// unaccented maps the lower-case accented letters of the Latin scripts that
// occur in Dutch, French and German names and loanwords to the letter
// without its accent. Only letters that are a plain letter plus an accent
// are here, because only those lose their accent in the search index
// (SQLite's unicode61 tokenizer with remove_diacritics 2); "ĳ", "ø", "æ"
// and "ß" stay as they are on both sides. A table of our own keeps the
// dependencies as they are (golang.org/x/text/unicode/norm would do the same
// but is only an indirect dependency of the module).
var unaccented = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a',
	'ç': 'c', 'ć': 'c', 'č': 'c',
	'ď': 'd',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ė': 'e', 'ę': 'e', 'ě': 'e',
	'ğ': 'g',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'į': 'i',
	'ľ': 'l', 'ĺ': 'l',
	'ñ': 'n', 'ń': 'n', 'ň': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ō': 'o', 'ő': 'o',
	'ŕ': 'r', 'ř': 'r',
	'ś': 's', 'š': 's', 'ş': 's',
	'ť': 't', 'ţ': 't',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ű': 'u',
	'ý': 'y', 'ÿ': 'y',
	'ź': 'z', 'ż': 'z', 'ž': 'z',
}

// stopWords are Dutch function words of three letters or more (shorter
// words are dropped anyway), without accents. They carry no subject: two
// texts that share only "voor" and "worden" are not about the same thing.
// Subject words that are frequent in this programme ("armoede", "gemeente")
// are deliberately not here: that two texts both speak of poverty is weak
// evidence, but it is evidence, and a search for "armoede" must find them.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		aan achter alle alleen als altijd ander andere bij binnen daar dan dat
		de deze die dit doch doen door dus een eens eigen en enkel enkele er
		geen geweest haar had hadden heb hebben heeft hem hen het hier hij hoe
		hun iets ik in is jij jou jullie kan kon konden kunnen maar meer met
		mij mijn moet moeten na naar niet niets nog nu of om omdat ons onder
		onze ook op over per reeds sinds tegen ten ter tot tussen uit van veel
		via voor waar waarbij waarin waarmee waren wat welk welke werd werden
		wie wij wil willen worden wordt zal zich zij zijn zo zoals zonder zou
		zouden zullen`) {
		m[w] = true
	}
	return m
}()

// minCut is the fewest letters rules 2b and 3 of stem leave: they cut into
// the word itself, and a short beginning ("sch" of "schaal") would find far
// too much in search.
const minCut = 5

// stem cuts a word without accents, in lower case and of at least 3
// letters (shorter words are not searched), back to a beginning that its singular and plural share. It is a
// light stemmer with a few rules that one can check by hand, not a full
// Dutch stemmer: a missed pair costs a little similarity, an unpredictable
// stem costs trust. Every rule only removes letters at the end, so a stem
// is always a beginning of its word (see SearchWords for why). Words with a
// digit are left alone, and no rule leaves fewer than 4 letters, because a
// short beginning finds too much in search ("meten" cut to "met" would find
// every text with "met" in it). The first rule that fits is applied, and
// the rules are applied again to the result until none fits, so that a stem
// is its own stem ("verkennen" → "verken" → "verk").
//
//  1. -ieen → -ie and -eeen → -ee (the plural -ën, without its accent):
//     "knieën" → "knie", "ideeën" → "idee".
//  2. -en after a consonant is removed: "diensten" → "dienst", "trajecten"
//     → "traject", "woningen" → "woning", "uithuiszettingen" →
//     "uithuiszetting". Then
//     a. a doubled consonant at the end is halved: "gezinnen" → "gezin",
//     "processen" → "proces";
//     b. otherwise, where the plural spells a long vowel single (a, o, u,
//     or an e not followed by l, n or r, which is usually the toneless e of
//     -el, -en, -er) between two consonants, the consonant after it goes
//     too, if 5 letters remain: "signalen" → "signa", "personen" →
//     "perso", "problemen" → "proble"; but "middelen" → "middel" and
//     "kinderen" → "kinder".
//  3. A word that ends in a consonant, a doubled vowel (aa, ee, oo, uu)
//     and a consonant loses the last two letters, if 5 remain, to meet its
//     plural of rule 2b: "signaal" → "signa", "persoon" → "perso",
//     "probleem" → "proble", "leefloon" → "leeflo".
//  4. -heid → -he, to meet the plural -heden of rule 2b:
//     "mogelijkheid" and "mogelijkheden" → "mogelijkhe", "dakloosheid" →
//     "daklooshe".
//  5. -s is removed after -ie or -je, or after -er or -el that follow a
//     consonant: "acties" → "actie", "bewoners" → "bewoner", "regels" →
//     "regel" (but "koers" stays).
//
// Known misses, accepted for predictability: nouns that end in -e keep it
// ("armoede", "gemeente"), so "gemeente" and "gemeenten" (→ "gemeent") do
// not meet, nor do "sociale" and "sociaal"; short words do not
// meet their plural where a rule would leave too few letters ("vraag" and
// "vragen" → "vrag", "dag" and "dagen"); and the v or z of a plural is not
// turned back into the f or s of the singular ("brieven" → "briev",
// "huizen" → "huiz").
//
// Stems are for comparing and searching, not for reading: an explanation
// shows the words as written.
func stem(w string) string {
	if strings.ContainsFunc(w, unicode.IsDigit) {
		return w
	}
	// Every rule shortens the word, so this ends.
	for {
		s := stemOnce(w)
		if s == w || utf8.RuneCountInString(s) < 4 {
			return w
		}
		w = s
	}
}

// stemOnce applies the first rule of stem that fits, and returns w if none
// does.
func stemOnce(w string) string {
	n := len(w)
	switch {
	case strings.HasSuffix(w, "ieen") || strings.HasSuffix(w, "eeen"):
		return w[:n-2] // 1: ideeen → idee
	case strings.HasSuffix(w, "en") && n > 2 && isConsonant(w[n-3]):
		s := w[:n-2] // 2: diensten → dienst
		m := len(s)
		if m >= 2 && s[m-1] == s[m-2] && isConsonant(s[m-1]) {
			return s[:m-1] // 2a: gezinn → gezin
		}
		if m-1 >= minCut && longVowelSpelledSingle(s) {
			return s[:m-1] // 2b: signal → signa
		}
		return s
	case n-2 >= minCut && isConsonant(w[n-1]) && w[n-1] != 'j' && w[n-2] == w[n-3] &&
		strings.IndexByte("aeou", w[n-2]) >= 0 && isConsonant(w[n-4]):
		return w[:n-2] // 3: signaal → signa
	case strings.HasSuffix(w, "heid"):
		return w[:n-2] // 4: mogelijkheid → mogelijkhe
	case strings.HasSuffix(w, "s") && pluralS(w[:n-1]):
		return w[:n-1] // 5: acties → actie
	}
	return w
}

// longVowelSpelledSingle reports whether s ends in a consonant, a, o, u or
// an e not followed by l, n or r, and a consonant other than j: how Dutch
// spells a long vowel in an open syllable once -en follows (rule 2b of stem).
func longVowelSpelledSingle(s string) bool {
	m := len(s)
	if m < 3 {
		return false
	}
	before, vowel, after := s[m-3], s[m-2], s[m-1]
	if !isConsonant(before) || !isConsonant(after) || after == 'j' {
		return false
	}
	switch vowel {
	case 'a', 'o', 'u':
		return true
	case 'e':
		return after != 'l' && after != 'n' && after != 'r'
	}
	return false
}

// pluralS reports whether a word that ends in s with s removed looks like a
// plural in -s (rule 5 of stem).
func pluralS(s string) bool {
	n := len(s)
	if n < 3 {
		return false
	}
	switch s[n-2:] {
	case "ie", "je":
		return true
	case "er", "el":
		return isConsonant(s[n-3])
	}
	return false
}

// isVowel and isConsonant classify the letters a to z. Words reach the
// stemmer without accents, so "ë" is an "e" by then. A byte of any other
// letter is neither, so no rule fires on it and no rule cuts into it: the
// stemmer only ever removes ASCII letters, and its result stays valid UTF-8.
func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func isConsonant(c byte) bool { return 'a' <= c && c <= 'z' && !isVowel(c) }

// dutchMonths are the months in Dutch, for dates in explanations.
var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"}

// dutchDate writes the date of t the Dutch way: "1 september 2027".
func dutchDate(t time.Time) string {
	d := DateOf(t)
	return strconv.Itoa(d.Day()) + " " + dutchMonths[d.Month()-1] + " " + strconv.Itoa(d.Year())
}

// dutchHours writes hours with a decimal comma: "19", "12,5".
func dutchHours(h Hours) string { return strings.Replace(h.String(), ".", ",", 1) }
